import { Migration } from '@mikro-orm/migrations';

// A brand's own frame catalog (PUT /api/frames replaces it in one transaction); a brand with no
// rows is served the sample catalog.

export class Migration20261129214000_brand_frames extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "brand_frames" ("id" uuid not null default gen_random_uuid(), "customer_id" uuid not null, "sku" varchar(64) not null, "name" varchar(120) not null, "shape" text check ("shape" in ('round', 'rectangle', 'square', 'cat-eye', 'aviator', 'oval', 'browline', 'geometric', 'wayfarer')) not null, "material" text check ("material" in ('acetate', 'metal', 'titanium', 'tr90')) not null, "colour" text check ("colour" in ('black', 'tortoise', 'clear', 'gold', 'silver', 'gunmetal', 'navy', 'burgundy', 'green', 'rose-gold')) not null, "price_cents" bigint not null, "lens_width_mm" smallint not null, "bridge_mm" smallint not null, "temple_mm" smallint not null, "total_width_mm" smallint not null, "position" int not null, "uploaded_at" timestamptz not null default now(), constraint "brand_frames_pkey" primary key ("id"));`);
    this.addSql(`create index "brand_frames_customer_position" on "brand_frames" ("customer_id", "position");`);
    this.addSql(`alter table "brand_frames" add constraint "brand_frames_customer_sku" unique ("customer_id", "sku");`);

    this.addSql(`alter table "brand_frames" add constraint "brand_frames_customer_id_foreign" foreign key ("customer_id") references "customers" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "brand_frames" cascade;`);
  }

}
