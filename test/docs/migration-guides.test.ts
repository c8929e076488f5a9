import assert from 'node:assert/strict';
import { getLogger, type LevelName } from '../../src/index.ts';
import { captureLogs } from '../../src/testing/index.ts';

// The behaviours the migration guides (docs/migration-from-*.md) warn about or promise.
describe('docs/migration-from-pino.md and -winston.md claims', () => {
  const log = getLogger('migration');

  it('accepts the pino order: object first, then the message', async () => {
    const logs = await captureLogs(() => log.info({ orderId: 1 }, 'order placed'));
    assert.equal(logs.records[0]!.body, 'order placed');
    assert.equal(logs.records[0]!.allAttributes.orderId, 1);
  });

  it('interpolates printf arguments when the message has tokens, as pino does', async () => {
    const logs = await captureLogs(() => log.info('hello %s', 'world'));
    assert.equal(logs.records[0]!.body, 'hello world');
    assert.equal(logs.records[0]!.exception, undefined);
  });

  it('maps logger.level, child(…, { level }), isLevelEnabled() and flush(cb) as the guide says', async () => {
    const logger = getLogger('migration.level');
    logger.level = 'debug';
    const child = logger.child({ module: 'db' }, { level: 'warn' });
    assert.equal(logger.level, 'debug');
    assert.equal(logger.isLevelEnabled('debug'), true);
    assert.equal(child.isLevelEnabled('info'), false);
    await new Promise<void>((resolve) => { void logger.flush(() => resolve()); });
  });

  it('keeps pino\'s error(err, msg) order: the string is the message, attributes may follow', async () => {
    const logs = await captureLogs(() => {
      log.error(new Error('boom'), 'payment failed', { orderId: 1 });
      log.error(new Error('boom'));
    });
    assert.equal(logs.records[0]!.body, 'payment failed');
    assert.equal(logs.records[0]!.exception?.message, 'boom');
    assert.equal(logs.records[0]!.allAttributes.orderId, 1);
    assert.equal(logs.records[1]!.body, 'boom');
  });

  it('keeps the message with logger.error(message, err, attributes)', async () => {
    const logs = await captureLogs(() => log.error('payment failed', new Error('boom'), { orderId: 2 }));
    const record = logs.records[0]!;
    assert.equal(record.body, 'payment failed');
    assert.equal(record.exception?.message, 'boom');
    assert.equal(record.allAttributes.orderId, 2);
  });

  it('logs at a level held in a variable with logger[level]()', async () => {
    const level: LevelName = 'warn';
    const logs = await captureLogs(() => log[level]('dynamic'));
    assert.equal(logs.records[0]!.severityText, 'WARN');
  });

  it('writes an empty message for an object alone', async () => {
    const logs = await captureLogs(() => log.info({ orderId: 3 }));
    assert.equal(logs.records[0]!.body, '');
  });
});
