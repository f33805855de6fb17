// The Node reference of the benchmarks (docs/benchmarks.md): DPS's custom allocation webhook as a small Node
// service would write it, node:http + jose (verification by Node's OpenSSL), one worker per core. It reads the same
// registry export as the webhook and applies the same token rules that matter for speed (ES256 with the device's
// own key, iat/exp required, lifetime <= 24 h, 10 min skew, registration_id must name the device), so that both do
// the same work per request. Not a product: no caller keys, no live reload, no hardening.
//
//   REGISTRY_FILE=registry.json PORT=18090 WORKERS=2 node server.mjs
import cluster from 'node:cluster';
import { createPublicKey, X509Certificate, createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { availableParallelism } from 'node:os';
import { jwtVerify } from 'jose';

const port = Number(process.env.PORT || 18090);
const workers = Number(process.env.WORKERS || availableParallelism());

if (cluster.isPrimary && workers > 1) {
  for (let i = 0; i < workers; i++) cluster.fork();
} else {
  serve();
}

function keyOf(credential) {
  const { format, key } = credential.publicKey || {};
  const pem = String(key || '');
  const publicKey = format && format.endsWith('X509_PEM') ? new X509Certificate(pem).publicKey : createPublicKey(pem);
  const alg = format && format.startsWith('ES256') ? 'ES256' : 'RS256';
  const expires = credential.expirationTime && !credential.expirationTime.startsWith('1970-')
    ? Date.parse(credential.expirationTime) : Infinity;
  return { publicKey, alg, expires };
}

function loadRegistry(file) {
  const parsed = JSON.parse(readFileSync(file, 'utf8'));
  const devices = new Map();
  for (const device of Array.isArray(parsed) ? parsed : parsed.devices) {
    const credentials = [];
    for (const credential of device.credentials || []) {
      try { credentials.push(keyOf(credential)); } catch { /* an unusable key: skipped */ }
    }
    devices.set(device.id, { blocked: device.blocked === true, credentials });
  }
  return devices;
}

function answer(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function refuse(res, status, error) {
  answer(res, status, { error, message: error });
}

async function allocate(devices, request, res) {
  const context = request.deviceRuntimeContext || {};
  const id = context.registrationId;
  const hubs = request.linkedHubs || [];
  const token = context.payload && context.payload.jwt;
  if (typeof id !== 'string' || !hubs.length) return refuse(res, 400, 'malformed_request');
  if (typeof token !== 'string') return refuse(res, 403, 'token_missing');
  const device = devices.get(id);
  if (!device) return refuse(res, 403, 'device_unknown');
  if (device.blocked) return refuse(res, 403, 'device_blocked');
  const now = Date.now();
  for (const credential of device.credentials) {
    if (credential.expires <= now) continue;
    let payload;
    try {
      ({ payload } = await jwtVerify(token, credential.publicKey, {
        algorithms: [credential.alg], clockTolerance: 600, requiredClaims: ['iat', 'exp'],
      }));
    } catch (e) {
      if (e.code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED') continue;
      return refuse(res, 403, 'token_invalid');
    }
    if (payload.exp - payload.iat > 86400) return refuse(res, 403, 'token_lifetime_too_long');
    const named = payload.registration_id ?? payload.sub;
    if (named !== undefined && named !== id) return refuse(res, 403, 'token_subject_mismatch');
    const current = context.currentIotHubHostName;
    const hub = hubs.includes(current) ? current
      : hubs[createHash('sha256').update(id).digest().readUInt32BE(0) % hubs.length];
    return answer(res, 200, {
      iotHubHostName: hub, initialTwin: null, payload: { hub, tokenExpiresAt: new Date(payload.exp * 1000).toISOString() },
    });
  }
  return refuse(res, 403, 'token_signature_invalid');
}

function serve() {
  const devices = loadRegistry(process.env.REGISTRY_FILE);
  const server = http.createServer((req, res) => {
    if (req.method !== 'POST' || req.url.split('?')[0] !== '/api/validatejwt') return refuse(res, 404, 'not_found');
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > 65536) { refuse(res, 413, 'payload_too_large'); req.destroy(); } else chunks.push(chunk);
    });
    req.on('end', () => {
      let request;
      try { request = JSON.parse(Buffer.concat(chunks).toString('utf8')); } catch { return refuse(res, 400, 'malformed_request'); }
      allocate(devices, request, res).catch(() => refuse(res, 500, 'internal_error'));
    });
  });
  server.keepAliveTimeout = 30_000;
  server.listen(port, '127.0.0.1');
}
