// `npm run reset-admin -- EMAIL`: on the server, for a locked-out admin. Prints a new one-time password once; it must be
// changed at the next login, and every session of the account ends.
import { ConfigError, loadConfig } from '../config.js';
import { resetPassword } from '../services/accounts.js';
import { openDatabaseFor } from './bootstrap.js';
import { migrateToLatest } from './migrate.js';

const email = process.argv[2];
if (!email) {
  console.error('使い方: npm run reset-admin -- メールアドレス');
  process.exit(2);
}
try {
  const config = loadConfig();
  const database = await openDatabaseFor(config);
  await migrateToLatest(database.db, database.schema);
  const { password } = await resetPassword(database.db, email);
  console.log(`アカウント ${email} のパスワードを再設定しました（この画面でのみ表示します）:\n  ${password}\n次のログインで、新しいパスワードへの変更を求めます。このアカウントのログイン中のセッションはすべて終了しました。`);
  await database.close();
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : `パスワードを再設定できませんでした: ${(err as Error).message}`);
  process.exit(1);
}
