import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  BlobSASPermissions,
  BlobServiceClient,
  generateBlobSASQueryParameters,
  SASProtocol,
  StorageSharedKeyCredential,
} from '@azure/storage-blob';
import type { Azurite } from './azurite';

/**
 * A loopback stand-in for the Actions cache service v2: the three Twirp JSON RPCs
 * @actions/cache 6 calls, with uploads and downloads going to azurite through SAS URLs, exactly
 * as the real service hands out Azure Blob URLs.
 *
 * Failure modes, and what the real client does with them:
 * - `down`: the listener is closed, so connections are refused. The client throws a
 *   NetworkError at once (no retry): restore and save warn.
 * - `garbage`: HTTP 200 with JSON of the wrong shape. The generated Twirp client fails to decode
 *   it, at once (no retry): restore warns; save reports "Failed to save".
 * - `rejected`: a Twirp error as JSON with HTTP 403 (`permission_denied`). Not retryable: fast.
 * - `non-json`: HTTP 502 with an HTML body. The client retries this 5 times with backoff
 *   (3 s, then x1.5): about 20-30 s per RPC. Only for a test that wants to prove that path.
 * Always answer JSON when a test must be fast: that is the only lever, the client exposes no
 * retry setting through the environment.
 */
export const TWIRP_PREFIX = '/twirp/github.actions.results.api.v1.CacheService/';
export type CacheRpc = 'CreateCacheEntry' | 'FinalizeCacheEntryUpload' | 'GetCacheEntryDownloadURL';
export type CacheServiceMode = 'ok' | 'down' | 'garbage' | 'rejected' | 'non-json';

export interface CacheEntry {
  key: string;
  version: string;
  blobName: string;
  entryId: number;
  finalized: boolean;
  sizeBytes?: number;
  /** Finalisation order; "newest" for prefix matching means the highest. */
  seq: number;
}

export interface CacheCall {
  rpc: string;
  body: unknown;
  status: number;
  response: unknown;
}

export interface CacheService {
  /** Value for ACTIONS_RESULTS_URL (ends with '/'). */
  url: string;
  /** Value for ACTIONS_RUNTIME_TOKEN; requests without it as a bearer token get 401. */
  token: string;
  mode(): CacheServiceMode;
  /** Switches the failure mode; `only` limits it to some RPCs (not for `down`). */
  setMode(mode: CacheServiceMode, only?: CacheRpc[]): Promise<void>;
  entries(): CacheEntry[];
  calls: CacheCall[];
  stop(): Promise<void>;
}

const CONTAINER = 'actions-cache';

/**
 * @param options.azurite a running emulator (see startAzurite)
 * @returns the running service; `stop()` closes it
 */
export async function startCacheService(options: {
  azurite: Azurite;
  token?: string;
}): Promise<CacheService> {
  const { azurite } = options;
  const token = options.token ?? 'runtime-token-for-tests';
  const credential = new StorageSharedKeyCredential(azurite.accountName, azurite.accountKey);
  const container = new BlobServiceClient(azurite.blobEndpoint, credential).getContainerClient(CONTAINER);
  await container.createIfNotExists();

  const entries: CacheEntry[] = [];
  const calls: CacheCall[] = [];
  let mode: CacheServiceMode = 'ok';
  let modeRpcs: CacheRpc[] | undefined;
  let seq = 0;

  const sasUrl = (blobName: string, permissions: string) => {
    const sas = generateBlobSASQueryParameters(
      {
        containerName: CONTAINER,
        blobName,
        permissions: BlobSASPermissions.parse(permissions),
        protocol: SASProtocol.HttpsAndHttp,
        expiresOn: new Date(Date.now() + 3600_000),
      },
      credential,
    );
    return `${azurite.blobEndpoint}/${CONTAINER}/${blobName}?${sas.toString()}`;
  };
  const twirpError = (status: number, code: string, msg: string) => ({ status, body: { code, msg } });

  const rpcs: Record<
    CacheRpc,
    (body: Record<string, unknown>) => Promise<{ status: number; body: unknown }>
  > = {
    async CreateCacheEntry(body) {
      const key = String(body.key ?? '');
      const version = String(body.version ?? '');
      if (!key || !version) return twirpError(400, 'invalid_argument', 'key and version are required');
      if (entries.some((e) => e.key === key && e.version === version)) {
        return twirpError(
          409,
          'already_exists',
          'cache entry with the same key, version, and scope already exists',
        );
      }
      const blobName = `${entries.length + 1}-${createHash('sha256').update(`${key}\0${version}`).digest('hex')}`;
      entries.push({ key, version, blobName, entryId: entries.length + 1, finalized: false, seq: 0 });
      return { status: 200, body: { ok: true, signed_upload_url: sasUrl(blobName, 'cw') } };
    },
    async FinalizeCacheEntryUpload(body) {
      const entry = entries.find((e) => e.key === body.key && e.version === body.version && !e.finalized);
      if (!entry) return twirpError(404, 'not_found', 'no pending cache entry with this key and version');
      const size = Number(body.size_bytes);
      const props = await container
        .getBlobClient(entry.blobName)
        .getProperties()
        .catch(() => undefined);
      if (!props || props.contentLength !== size) {
        return twirpError(
          400,
          'invalid_argument',
          `uploaded size ${props?.contentLength} != size_bytes ${size}`,
        );
      }
      entry.finalized = true;
      entry.sizeBytes = size;
      entry.seq = ++seq;
      return { status: 200, body: { ok: true, entry_id: String(entry.entryId) } };
    },
    async GetCacheEntryDownloadURL(body) {
      const version = String(body.version ?? '');
      const keys = [String(body.key ?? ''), ...((body.restore_keys as string[] | undefined) ?? [])];
      const candidates = entries
        .filter((e) => e.finalized && e.version === version)
        .sort((a, b) => b.seq - a.seq);
      // As GitHub documents it: for each key in order, an exact match, then the newest entry
      // whose key starts with it.
      for (const k of keys) {
        const hit = candidates.find((e) => e.key === k) ?? candidates.find((e) => e.key.startsWith(k));
        if (hit)
          return {
            status: 200,
            body: { ok: true, signed_download_url: sasUrl(hit.blobName, 'r'), matched_key: hit.key },
          };
      }
      return { status: 200, body: { ok: false, signed_download_url: '', matched_key: '' } };
    },
  };

  const server = http.createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => {
      raw += c;
    });
    req.on('end', () => {
      void handle(req, raw).then(({ status, body, contentType }) => {
        res.writeHead(status, { 'content-type': contentType ?? 'application/json' });
        res.end(typeof body === 'string' ? body : JSON.stringify(body));
      });
    });
  });

  async function handle(
    req: http.IncomingMessage,
    raw: string,
  ): Promise<{ status: number; body: unknown; contentType?: string }> {
    const rpc = (req.url ?? '').startsWith(TWIRP_PREFIX) ? (req.url ?? '').slice(TWIRP_PREFIX.length) : '';
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      parsed = raw;
    }
    const reply = await (async (): Promise<{ status: number; body: unknown; contentType?: string }> => {
      if (req.method !== 'POST' || !(rpc in rpcs))
        return twirpError(404, 'bad_route', `no handler for ${req.method} ${req.url}`);
      if (req.headers.authorization !== `Bearer ${token}`)
        return twirpError(401, 'unauthenticated', 'bad runtime token');
      if (mode !== 'ok' && (!modeRpcs || modeRpcs.includes(rpc as CacheRpc))) {
        if (mode === 'garbage')
          return {
            status: 200,
            body: { ok: 'perhaps', signed_upload_url: { nested: [1, 2] }, entry_id: 'x', matched_key: 7 },
          };
        if (mode === 'rejected')
          return twirpError(403, 'permission_denied', 'cache service refused the request (test)');
        if (mode === 'non-json')
          return { status: 502, body: '<html><body>502 Bad Gateway</body></html>', contentType: 'text/html' };
      }
      if (typeof parsed !== 'object' || parsed === null)
        return twirpError(400, 'malformed', 'body is not a JSON object');
      return rpcs[rpc as CacheRpc](parsed as Record<string, unknown>);
    })().catch((error: unknown) => twirpError(500, 'internal', String(error)));
    calls.push({ rpc, body: parsed, status: reply.status, response: reply.body });
    return reply;
  }

  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve((server.address() as AddressInfo).port);
      });
    });
  const close = () =>
    new Promise<void>((resolve) => {
      if (!server.listening) return resolve();
      server.close(() => resolve());
      server.closeAllConnections();
    });
  const port = await listen(0);

  return {
    url: `http://127.0.0.1:${port}/`,
    token,
    calls,
    mode: () => mode,
    async setMode(next, only) {
      if (next === 'down' && only) throw new Error('`down` closes the listener: it applies to every RPC');
      if (next === 'down') await close();
      // Reopening on the same port keeps ACTIONS_RESULTS_URL valid across modes.
      else if (!server.listening) await listen(port);
      mode = next;
      modeRpcs = only;
    },
    entries: () => entries.map((e) => ({ ...e })),
    stop: close,
  };
}
