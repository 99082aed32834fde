// Starts the platform: config, database (migrated and seeded), app, listen; closes cleanly on SIGTERM/SIGINT.
import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { openDatabaseFor, prepareDatabase } from './db/bootstrap.js';

async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const database = await openDatabaseFor(config);
  const prepared = await prepareDatabase(database, config, new Date());
  const app = await buildApp(config, { database });

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, '終了します: 新しい接続の受付を止め、処理中のリクエストを完了させます');
    const force = setTimeout(() => process.exit(1), 10000).unref();
    // close() waits for every open connection; a client's keep-alive connection that was busy when the
    // signal came would hold it until the client times out: end each one as soon as its request is answered.
    const endIdle = setInterval(() => app.server.closeIdleConnections(), 50).unref();
    try {
      await app.close();
      clearInterval(endIdle);
      await database.close();
      clearTimeout(force);
      process.exit(0);
    } catch (err) {
      app.log.error(err, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  await app.listen({ port: config.port, host: config.host });
  const lines = [
    '',
    '中核市情報化推進計画調査システムを起動しました。',
    `  URL:         ${config.publicUrl}/`,
    `  API 文書:    ${config.publicUrl}/docs`,
    `  データベース: ${database.kind === 'pglite' ? `組み込み PostgreSQL（PGlite, ${config.dataDir}）` : 'PostgreSQL（DATABASE_URL）'}`,
  ];
  if (prepared.admin.generatedPassword) {
    lines.push(
      '  管理者アカウントを作成しました（このパスワードは今回だけ表示されます）:',
      `    メールアドレス: ${prepared.admin.email}`,
      `    パスワード:     ${prepared.admin.generatedPassword}`,
    );
  } else if (prepared.admin.created) {
    lines.push(`  管理者アカウントを作成しました: ${prepared.admin.email}（パスワードは ADMIN_PASSWORD）`);
  } else {
    lines.push('  ログイン: 既存の照会元アカウント（ADMIN_EMAIL で作成したものなど）でログインしてください');
  }
  lines.push(`  ログイン (API): POST ${config.publicUrl}/api/v1/session { "email": ..., "password": ... }`, '');
  console.log(lines.join('\n'));
}

main().catch((err) => {
  console.error('起動に失敗しました:', err instanceof Error ? err.message : err);
  process.exit(1);
});
