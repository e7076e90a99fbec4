import { Migration } from '@mikro-orm/migrations';

export class Migration20261126022227_purchase_refunded_cents extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "token_pack_purchases" add column "refunded_cents" bigint not null default 0;`);
    this.addSql(`alter table "token_pack_purchases" add constraint token_pack_purchases_refunded_cents_check check(refunded_cents >= 0);`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "token_pack_purchases" drop constraint token_pack_purchases_refunded_cents_check;`);
    this.addSql(`alter table "token_pack_purchases" drop column "refunded_cents";`);
  }

}
