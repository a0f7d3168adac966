import crypto from 'node:crypto';
import { CodebatchError } from '../errors/codebatch-error';

/** The in-toto payload type of a DSSE envelope around a Statement. */
export const INTOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

export interface DsseEnvelope {
  payloadType: string;
  /** base64 of the payload bytes. */
  payload: string;
  signatures: { keyid: string; sig: string }[];
}

/**
 * DSSE's pre-authentication encoding: what is signed is the type and the bytes together, so a
 * signature over one payload type can never be replayed as another.
 */
function pae(payloadType: string, payload: Buffer): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  return Buffer.concat([
    Buffer.from(`DSSEv1 ${type.length} `, 'utf8'),
    type,
    Buffer.from(` ${payload.length} `, 'utf8'),
    payload,
  ]);
}

/** keyid: sha256 of the public key's DER (SPKI), so a verifier can tell which key signed. */
function keyIdOf(key: crypto.KeyObject): string {
  const pub = key.type === 'private' ? crypto.createPublicKey(key) : key;
  return crypto
    .createHash('sha256')
    .update(pub.export({ type: 'spki', format: 'der' }))
    .digest('hex');
}

/** Signs `statement` with an ed25519 private key (PEM) into a DSSE envelope. */
export function signStatement(statement: unknown, privateKeyPem: string): DsseEnvelope {
  const key = parseKey(privateKeyPem, 'private');
  const payload = Buffer.from(JSON.stringify(statement), 'utf8');
  const sig = crypto.sign(null, pae(INTOTO_PAYLOAD_TYPE, payload), key);
  return {
    payloadType: INTOTO_PAYLOAD_TYPE,
    payload: payload.toString('base64'),
    signatures: [{ keyid: keyIdOf(key), sig: sig.toString('base64') }],
  };
}

/**
 * Checks an envelope's shape, type and signature with an ed25519 public key (PEM) and returns
 * the statement it carries.
 * @throws CodebatchError E_SIGNATURE_INVALID when any of them does not hold
 */
export function openEnvelope(envelope: unknown, publicKeyPem: string): Record<string, unknown> {
  const key = parseKey(publicKeyPem, 'public');
  const e = envelope as Partial<DsseEnvelope> | null;
  if (
    !e ||
    typeof e.payload !== 'string' ||
    typeof e.payloadType !== 'string' ||
    !Array.isArray(e.signatures)
  )
    throw invalid('not a DSSE envelope (payloadType, payload and signatures are required)');
  if (e.payloadType !== INTOTO_PAYLOAD_TYPE)
    throw invalid(`unexpected payload type ${JSON.stringify(e.payloadType)}`);
  const payload = Buffer.from(e.payload, 'base64');
  const signed = pae(e.payloadType, payload);
  const ok = e.signatures.some(
    (s) => typeof s?.sig === 'string' && crypto.verify(null, signed, key, Buffer.from(s.sig, 'base64')),
  );
  if (!ok) throw invalid('no signature of the envelope verifies with the given public key');
  try {
    return JSON.parse(payload.toString('utf8')) as Record<string, unknown>;
  } catch {
    throw invalid('the signed payload is not JSON');
  }
}

function parseKey(pem: string, kind: 'private' | 'public'): crypto.KeyObject {
  let key: crypto.KeyObject;
  try {
    key = kind === 'private' ? crypto.createPrivateKey(pem) : crypto.createPublicKey(pem);
  } catch (error) {
    throw new CodebatchError('E_USAGE', `not a ${kind} key in PEM form: ${(error as Error).message}`, {
      hints: [
        'Make an ed25519 key pair with `openssl genpkey -algorithm ed25519 -out key.pem` and `openssl pkey -in key.pem -pubout -out key.pub`.',
      ],
    });
  }
  if (key.asymmetricKeyType !== 'ed25519')
    throw new CodebatchError('E_USAGE', `the ${kind} key is ${key.asymmetricKeyType}, not ed25519`, {
      hints: ['Make an ed25519 key pair with `openssl genpkey -algorithm ed25519 -out key.pem`.'],
    });
  return key;
}

function invalid(message: string): CodebatchError {
  return new CodebatchError('E_SIGNATURE_INVALID', `provenance envelope rejected: ${message}`, {
    hints: ['Export and sign it again: `codebatch provenance export --format intoto --sign-key KEY`.'],
  });
}
