// A user's first steps against a live server, through the generated types and openapi-fetch:
// register, log in (session cookie + CSRF token), create an API key, then with the key: set and
// clear the default region, submit a magnet job, list it, read it and read the account.
// Usage: node flow.mjs http://127.0.0.1:PORT (compiled by openapi/clients/run-flows.sh).
// Any unexpected status or shape throws, so the process exits non-zero.
import createClient from "openapi-fetch";
import type { components, paths } from "./schema.js";

type Job = components["schemas"]["Job"];
type User = components["schemas"]["User"];

const base = process.argv[2];
if (!base) throw new Error("usage: node flow.mjs <base url>");
const api = createClient<paths>({ baseUrl: base });

function check(cond: unknown, what: string): asserts cond {
  if (!cond) throw new Error(`check failed: ${what}`);
}

/** Fails unless `value` has exactly the keys a response may carry, with none set to null. */
function noNulls(value: unknown, where: string): void {
  if (Array.isArray(value)) value.forEach((v, i) => noNulls(v, `${where}[${i}]`));
  else if (value !== null && typeof value === "object")
    for (const [k, v] of Object.entries(value)) {
      check(v !== null, `${where}.${k} is null; absent fields must be left out`);
      noNulls(v, `${where}.${k}`);
    }
}

function checkUser(user: User, email: string): void {
  check(user.email === email, `user.email ${user.email}`);
  check(user.role === "user", `user.role ${user.role}`);
  check(!Number.isNaN(Date.parse(user.createdAt)), "user.createdAt is a date");
}

const email = `ts-flow-${Date.now()}@example.com`;
const password = "flow password 1";

const health = await api.GET("/api/v1/health");
check(health.data?.status === "ok", `health: ${JSON.stringify(health.error)}`);

const registered = await api.POST("/api/v1/auth/register", { body: { email, password } });
check(registered.response.status === 201 && registered.data, `register: ${JSON.stringify(registered.error)}`);
checkUser(registered.data.user, email);

const login = await api.POST("/api/v1/auth/login", { body: { email, password } });
check(login.data, `login: ${JSON.stringify(login.error)}`);
noNulls(login.data, "login");
const csrf = login.data.csrfToken;
const session = login.response.headers.getSetCookie().find((c) => c.startsWith("session="));
check(session, "login sets the session cookie");
const cookie = session.split(";")[0];
check(login.response.headers.get("x-csrf-token") === csrf, "X-CSRF-Token header repeats csrfToken");

const meByCookie = await api.GET("/api/v1/auth/me", { headers: { Cookie: cookie } });
check(meByCookie.data?.csrfToken === csrf, "a cookie session reads its CSRF token back");

// A state-changing cookie request without the CSRF token is refused...
const noCsrf = await api.POST("/api/v1/auth/api-keys", {
  body: { name: "flow", scopes: ["jobs:read"] },
  headers: { Cookie: cookie },
});
check(noCsrf.response.status === 403 && noCsrf.error?.error.code === "csrf_failed", "no CSRF token: 403");

// ...and accepted with it.
const created = await api.POST("/api/v1/auth/api-keys", {
  body: { name: "flow key", scopes: ["jobs:read", "jobs:write", "account:read"], expiresInDays: 7 },
  params: { header: { "X-CSRF-Token": csrf } },
  headers: { Cookie: cookie },
});
check(created.response.status === 201 && created.data, `create key: ${JSON.stringify(created.error)}`);
noNulls(created.data, "createdKey");
check(created.data.secret.startsWith("tsk_"), "the secret is a tsk_ key");
check(created.data.key.expiresAt !== undefined, "the key expires");
check(!("lastUsedAt" in created.data.key), "an unused key has no lastUsedAt");

const bearer = { Authorization: `Bearer ${created.data.secret}` };

const region = await api.PATCH("/api/v1/auth/me", { body: { defaultRegion: "eu-west" }, headers: bearer });
check(region.data?.user.defaultRegion === "eu-west", `set region: ${JSON.stringify(region.error)}`);
const cleared = await api.PATCH("/api/v1/auth/me", { body: { defaultRegion: null }, headers: bearer });
check(cleared.data, `clear region: ${JSON.stringify(cleared.error)}`);
check(!("defaultRegion" in cleared.data.user), "a cleared region is absent");

const me = await api.GET("/api/v1/auth/me", { headers: bearer });
check(me.data, `me: ${JSON.stringify(me.error)}`);
noNulls(me.data, "me");
checkUser(me.data.user, email);
check(me.data.csrfToken === undefined, "bearer callers get no CSRF token");

const infohash = Array.from({ length: 40 }, () => "0123456789abcdef"[Math.floor(Math.random() * 16)]).join("");
const submitted = await api.POST("/api/v1/jobs", {
  body: { magnetUri: `magnet:?xt=urn:btih:${infohash}&dn=flow`, name: "typescript flow" },
  params: { header: { "Idempotency-Key": `ts-${infohash}` } },
  headers: bearer,
});
check(submitted.response.status === 201 && submitted.data, `submit: ${JSON.stringify(submitted.error)}`);
noNulls(submitted.data, "job");
const job: Job = submitted.data;
check(job.infohash === infohash && job.name === "typescript flow", "the job names its torrent");
check(job.sourceKind === "magnet", `sourceKind ${job.sourceKind}`);
check(submitted.response.headers.get("location") === `/api/v1/jobs/${job.id}`, "Location names the job");

const again = await api.POST("/api/v1/jobs", {
  body: { magnetUri: `magnet:?xt=urn:btih:${infohash}` },
  params: { header: { "Idempotency-Key": `ts-${infohash}` } },
  headers: bearer,
});
check(again.response.status === 200 && again.data?.id === job.id, "a retry returns the same job");

const list = await api.GET("/api/v1/jobs", { params: { query: { limit: 10, sortBy: "created_at" } }, headers: bearer });
check(list.data, `list: ${JSON.stringify(list.error)}`);
noNulls(list.data, "jobs");
check(list.data.data.some((j) => j.id === job.id), "the list holds the job");
check(list.data.meta.total >= 1, "the list counts it");

const got = await api.GET("/api/v1/jobs/{id}", { params: { path: { id: job.id } }, headers: bearer });
check(got.data?.id === job.id, `get: ${JSON.stringify(got.error)}`);
noNulls(got.data, "job");

const missing = await api.GET("/api/v1/jobs/{id}", {
  params: { path: { id: "00000000-0000-0000-0000-000000000000" } },
  headers: bearer,
});
check(missing.response.status === 404 && missing.error?.error.code === "job_not_found", "unknown job: 404");

console.log(`typescript flow: ok (user ${email}, job ${job.id}, status ${got.data.status})`);
