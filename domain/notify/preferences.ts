// A user's notification choices: the role's defaults with the rows they saved laid over them.
import type { EntityManager } from '@mikro-orm/postgresql';
import { choosableChannels, defaultPreferences, noticeCategories, type ChannelChoices, type NoticeCategory, type PreferenceGrid } from './vocabulary';

type Sql = Pick<ReturnType<EntityManager['getConnection']>, 'execute'>;

interface PreferenceRow {
  user_id: string;
  category: string;
  channel: string;
  enabled: boolean;
}

function overlay(grid: PreferenceGrid, rows: PreferenceRow[]): PreferenceGrid {
  for (const r of rows) {
    const choices = grid[r.category as NoticeCategory] as ChannelChoices | undefined;
    // A category retired from the vocabulary keeps its rows but shows nowhere.
    if (choices && (choosableChannels as readonly string[]).includes(r.channel)) choices[r.channel as keyof ChannelChoices] = r.enabled;
  }
  return grid;
}

export async function preferencesOf(sql: Sql, user: { id: string; role: string }): Promise<PreferenceGrid> {
  const rows = await sql.execute<PreferenceRow[]>('select user_id, category, channel, enabled from notification_preferences where user_id = ?', [user.id]);
  return overlay(defaultPreferences(user.role), rows);
}

/** Stores every channel of the given categories, so a later change of the defaults does not move a choice made. */
export async function savePreferences(sql: Sql, userId: string, changes: Partial<PreferenceGrid>): Promise<void> {
  const values: unknown[] = [];
  const tuples: string[] = [];
  for (const category of noticeCategories) {
    const choices = changes[category];
    if (!choices) continue;
    for (const channel of choosableChannels) {
      tuples.push('(?, ?, ?, ?, now())');
      values.push(userId, category, channel, choices[channel]);
    }
  }
  if (!tuples.length) return;
  await sql.execute(
    `insert into notification_preferences (user_id, category, channel, enabled, updated_at) values ${tuples.join(', ')}
     on conflict (user_id, category, channel) do update set enabled = excluded.enabled, updated_at = excluded.updated_at`,
    values,
  );
}

export interface Recipient {
  userId: string;
  email: string;
  /** The verified number, or null. */
  phone: string | null;
  choices: ChannelChoices;
}

/** Every active staff member of the brand with their choices for one category: a disabled member gets nothing until enabled again. */
export async function recipientsOf(sql: Sql, customerId: string, category: NoticeCategory): Promise<Recipient[]> {
  const users = await sql.execute<{ id: string; email: string; role: string; phone: string | null }[]>(
    `select u.id, u.email, u.role, p.phone from users u left join user_phones p on p.user_id = u.id
      where u.customer_id = ? and u.disabled_at is null order by u.created_at, u.id`,
    [customerId],
  );
  if (!users.length) return [];
  const rows = await sql.execute<PreferenceRow[]>(
    `select user_id, category, channel, enabled from notification_preferences where category = ? and user_id in (${users.map(() => '?').join(', ')})`,
    [category, ...users.map((u) => u.id)],
  );
  return users.map((u) => ({
    userId: u.id,
    email: u.email,
    phone: u.phone,
    choices: overlay(defaultPreferences(u.role), rows.filter((r) => r.user_id === u.id))[category],
  }));
}
