import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { makeTempDir, writeTree } from '../src/test-support/temp-dir';
import { cli, cliJson } from './cli-harness';

/** Signed provenance: a DSSE envelope round trip, and every way a verifier must say no. */
describe('provenance export --sign-key and provenance verify', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let store: string;
  let batch: string;
  let keys: { priv: string; pub: string; otherPub: string };
  const S = () => ['--store', store];

  beforeAll(async () => {
    tmp = makeTempDir();
    store = path.join(tmp.dir, 'store');
    const src = path.join(tmp.dir, 'src');
    writeTree(src, { 'a.ts': 'import x from "y";\nexport const a = 1;  \n', 'b.py': 'import os\n' });
    const snap = await cliJson<{ record: { snapshot_id: string } }>(['snapshot', src, ...S()]);
    const b = await cliJson<{ batch: { batch_id: string } }>([
      'batch',
      'init',
      '--snapshot',
      snap.json.record.snapshot_id,
      '--pipeline',
      'lint',
      ...S(),
    ]);
    batch = b.json.batch.batch_id;
    expect((await cli(['run', '--batch', batch, '--parallel', '1', ...S()])).code).toBe(0);
    const pair = crypto.generateKeyPairSync('ed25519');
    const other = crypto.generateKeyPairSync('ed25519');
    keys = {
      priv: path.join(tmp.dir, 'key.pem'),
      pub: path.join(tmp.dir, 'key.pub'),
      otherPub: path.join(tmp.dir, 'other.pub'),
    };
    fs.writeFileSync(keys.priv, pair.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    fs.writeFileSync(keys.pub, pair.publicKey.export({ type: 'spki', format: 'pem' }));
    fs.writeFileSync(keys.otherPub, other.publicKey.export({ type: 'spki', format: 'pem' }));
  });
  afterAll(() => tmp.cleanup());

  const signed = async () => {
    const file = path.join(tmp.dir, 'statement.dsse.json');
    const r = await cli([
      'provenance',
      'export',
      '--batch',
      batch,
      '--format',
      'intoto',
      '--sign-key',
      keys.priv,
      '--out',
      file,
      ...S(),
    ]);
    expect(r.code).toBe(0);
    return file;
  };
  const verify = (envelope: string, pub = keys.pub) =>
    cli(['provenance', 'verify', '--envelope', envelope, '--public-key', pub, ...S()]);

  it('round trip: the envelope carries the in-toto statement, and verify accepts it', async () => {
    const file = await signed();
    const envelope = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect(envelope.payloadType).toBe('application/vnd.in-toto+json');
    const statement = JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8'));
    expect(statement._type).toBe('https://in-toto.io/Statement/v1');
    expect(statement.subject.length).toBeGreaterThan(0);
    const r = await verify(file);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      new RegExp(`signature ok; ${statement.subject.length} subjects match the store`),
    );
  });

  it('rejects a signature made with another key', async () => {
    const r = await verify(await signed(), keys.otherPub);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error\[E_SIGNATURE_INVALID\]/);
  });

  it('rejects a tampered payload (a subject digest changed after signing)', async () => {
    const file = await signed();
    const envelope = JSON.parse(fs.readFileSync(file, 'utf8'));
    const statement = JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8'));
    statement.subject[0].digest.sha256 = '0'.repeat(64);
    envelope.payload = Buffer.from(JSON.stringify(statement)).toString('base64');
    fs.writeFileSync(file, JSON.stringify(envelope));
    const r = await verify(file);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error\[E_SIGNATURE_INVALID\]/);
  });

  it('rejects a store whose attested output no longer matches (a tampered subject)', async () => {
    const file = await signed();
    const statement = JSON.parse(
      Buffer.from(JSON.parse(fs.readFileSync(file, 'utf8')).payload, 'base64').toString('utf8'),
    );
    // The subject is the shard's result: add a record to the index it names.
    const subject = path.join(store, statement.subject[0].annotations.index);
    const original = fs.readFileSync(subject);
    fs.appendFileSync(subject, original.toString('utf8').split('\n')[0] + '\n');
    try {
      const r = await verify(file);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(
        /error\[E_SUBJECT_MISMATCH\]: 1 of \d+ attested subjects do not match the store/,
      );
      expect(r.stderr).toContain(`${statement.subject[0].name}: digest`);
    } finally {
      fs.writeFileSync(subject, original);
    }
  });

  it('subjects are reproducible: two fresh stores over the same tree attest identical subjects', async () => {
    const subjects = async (name: string) => {
      const other = path.join(tmp.dir, name);
      const snap = await cliJson<{ record: { snapshot_id: string } }>([
        'snapshot',
        path.join(tmp.dir, 'src'),
        '--store',
        other,
      ]);
      await cli([
        'batch',
        'init',
        '--snapshot',
        snap.json.record.snapshot_id,
        '--pipeline',
        'lint',
        '--id',
        'same',
        '--store',
        other,
      ]);
      expect((await cli(['run', '--batch', 'same', '--parallel', '1', '--store', other])).code).toBe(0);
      const doc = await cliJson<{ subject: unknown[] }>([
        'provenance',
        'export',
        '--batch',
        'same',
        '--format',
        'intoto',
        '--store',
        other,
      ]);
      return doc.json.subject;
    };
    const first = await subjects('store-a');
    expect(first.length).toBeGreaterThan(1);
    expect(await subjects('store-b')).toEqual(first);
  });

  it('refuses --sign-key without --format intoto, and a key that is not ed25519', async () => {
    expect(
      (await cli(['provenance', 'export', '--batch', batch, '--sign-key', keys.priv, ...S()])).code,
    ).toBe(2);
    const rsa = crypto.generateKeyPairSync('rsa', { modulusLength: 1024 });
    const rsaFile = path.join(tmp.dir, 'rsa.pem');
    fs.writeFileSync(rsaFile, rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const r = await cli([
      'provenance',
      'export',
      '--batch',
      batch,
      '--format',
      'intoto',
      '--sign-key',
      rsaFile,
      ...S(),
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not ed25519/);
  });
});
