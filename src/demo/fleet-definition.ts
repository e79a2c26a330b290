// What the demo fleet contains: a few apps that together cover every case the
// comparison pane distinguishes (exec on/off, crashed dyno, Fir, Shield, Eco).
import type { App } from '../heroku/model.js';
import type { SourceTree } from './app-sources.js';
import { BILLING_SOURCE, ECO_SOURCE, ML_FIR_SOURCE, STOREFRONT_SOURCE, VAULT_SOURCE } from './app-sources.js';

export const DEMO_ACCOUNT = 'demo@dynotty.dev';

/**
 * How a demo dyno's process behaves: `serve` and `work` log now and then,
 * `crash` logs an error and exits 1 shortly after start, `attached` is a
 * one-off someone is typing in (quiet).
 */
export type DynoBehaviour = 'serve' | 'work' | 'crash' | 'attached';

export interface DemoDynoDef {
  name: string;
  type: string;
  size: string;
  command: string;
  behaviour: DynoBehaviour;
  /** Age of the dyno when the fleet starts, for `created_at`. */
  ageMinutes: number;
}

export interface DemoAppDef {
  app: App;
  releaseVersion: number;
  /** Size `heroku run` would give a one-off (the app's default size). */
  oneOffSize: string;
  /** The app's config vars (fake values; hosts end in `.invalid`). */
  configVars: Readonly<Record<string, string>>;
  /** What the buildpack sets for every dyno: NODE_ENV, RACK_ENV... */
  runtimeEnv: Readonly<Record<string, string>>;
  source: SourceTree;
  dynos: readonly DemoDynoDef[];
  /** Application log lines, cycled by the dynos of each behaviour. */
  logLines: Readonly<Partial<Record<DynoBehaviour, readonly string[]>>>;
}

const TEAM_OWNER = 'acme@herokumanager.com';

function cedarApp(fields: Pick<App, 'id' | 'name' | 'team' | 'region' | 'space' | 'processTier' | 'execEnabled'> & { urlHash: string }): App {
  return {
    id: fields.id,
    name: fields.name,
    ownerEmail: fields.team ? TEAM_OWNER : DEMO_ACCOUNT,
    team: fields.team,
    region: fields.region,
    space: fields.space,
    stack: 'heroku-24',
    generation: 'cedar',
    processTier: fields.processTier,
    maintenance: false,
    execEnabled: fields.execEnabled,
    webUrl: `https://${fields.name}-${fields.urlHash}.herokuapp.com/`,
  };
}

const NODE_ENV = { NODE_ENV: 'production', NPM_CONFIG_PRODUCTION: 'true', NODE_OPTIONS: '--max-old-space-size=460' };

/** The demo apps, sorted by name. */
export const DEMO_APPS: readonly DemoAppDef[] = [
  {
    app: cedarApp({
      id: '6d1b0c52-3a8e-4f7d-9c21-8e4f2a7b9d10',
      name: 'acme-billing',
      team: 'acme',
      region: 'eu',
      space: null,
      processTier: 'production',
      execEnabled: false,
      urlHash: '7c2e91d04b3a',
    }),
    releaseVersion: 311,
    oneOffSize: 'Standard-1X',
    configVars: {
      DATABASE_URL: 'postgres://u7fq2k1:p3c9d0e8f1a2b4@billing-db.dynotty.invalid:5432/d4k8m2q1',
      REDIS_URL: 'redis://:p5e1f9a0c7@billing-redis.dynotty.invalid:6379',
      SECRET_KEY_BASE: 'demo-not-a-secret-billing',
      STRIPE_API_KEY: 'sk_demo_not_a_real_key',
    },
    runtimeEnv: { RACK_ENV: 'production', RAILS_ENV: 'production', RAILS_LOG_TO_STDOUT: 'enabled', WEB_CONCURRENCY: '2' },
    source: BILLING_SOURCE,
    dynos: [
      { name: 'web.1', type: 'web', size: 'Standard-1X', command: 'bundle exec puma -C config/puma.rb', behaviour: 'serve', ageMinutes: 318 },
      { name: 'worker.1', type: 'worker', size: 'Standard-1X', command: 'bundle exec sidekiq -C config/sidekiq.yml', behaviour: 'crash', ageMinutes: 318 },
    ],
    logLines: {
      serve: [
        'Started GET "/invoices/INV-20931" for 10.1.44.7',
        'Completed 200 OK in 41ms (Views: 0.4ms | ActiveRecord: 12.9ms)',
        'Started POST "/payment_runs" for 10.1.44.9',
        'Completed 201 Created in 118ms (ActiveRecord: 63.0ms)',
      ],
      crash: [
        'Booting Sidekiq 7.3.7 with Sidekiq::RedisConnection::RedisAdapter options {:url=>"redis://billing-redis.dynotty.invalid:6379"}',
        'Error fetching job: Error connecting to Redis on billing-redis.dynotty.invalid:6379 (RedisClient::CannotConnectError)',
      ],
    },
  },
  {
    app: {
      id: 'f3a9e1d7-5b2c-4e8a-b6f0-1c9d8e7a6b54',
      name: 'acme-ml-fir',
      ownerEmail: TEAM_OWNER,
      team: 'acme',
      region: 'virginia',
      space: { name: 'acme-fir', shield: false },
      stack: 'cnb',
      generation: 'fir',
      processTier: 'private',
      maintenance: false,
      execEnabled: false,
      webUrl: 'https://acme-ml-fir-0b5d8e2f4a91.herokuapp.com/',
    },
    releaseVersion: 57,
    oneOffSize: 'dyno-1c-0.5gb',
    configVars: {
      DATABASE_URL: 'postgres://u2m8x4c:p9a1b7c3d5e6f0@ml-db.dynotty.invalid:5432/d7r3t5y9',
      REDIS_URL: 'rediss://:p0f8e2a4c6@ml-redis.dynotty.invalid:6380',
      MODEL_PATH: 'models/ranker-v7.onnx',
    },
    runtimeEnv: { PYTHONUNBUFFERED: '1', WEB_CONCURRENCY: '4' },
    source: ML_FIR_SOURCE,
    dynos: [
      { name: 'web-848cd4f64d-pvpr2', type: 'web', size: 'dyno-2c-4gb', command: 'gunicorn ml.wsgi --bind 0.0.0.0:$PORT', behaviour: 'serve', ageMinutes: 42 },
      { name: 'web-848cd4f64d-x7m2n', type: 'web', size: 'dyno-2c-4gb', command: 'gunicorn ml.wsgi --bind 0.0.0.0:$PORT', behaviour: 'serve', ageMinutes: 42 },
      { name: 'worker-5b9d7c6f4-k2x8q', type: 'worker', size: 'dyno-1c-0.5gb', command: 'python -m ml.worker', behaviour: 'work', ageMinutes: 42 },
    ],
    logLines: {
      serve: [
        '10.0.3.18 - - "POST /rank HTTP/1.1" 200 1832 "-" "acme-storefront/3.14"',
        '10.0.3.21 - - "GET /health HTTP/1.1" 200 2 "-" "kube-probe"',
      ],
      work: ['INFO ml.worker: scored batch of 32 in 84ms', 'INFO ml.worker: queue depth 0, waiting'],
    },
  },
  {
    app: cedarApp({
      id: '2b7e4c9a-1f3d-4a6b-8e5c-0d9f7a3b1c62',
      name: 'acme-storefront',
      team: 'acme',
      region: 'us',
      space: null,
      processTier: 'production',
      execEnabled: true,
      urlHash: '3f9c2a1b7d4e',
    }),
    releaseVersion: 142,
    oneOffSize: 'Standard-1X',
    configVars: {
      DATABASE_URL: 'postgres://u9k3j2h:p4b8c1d6e0f2a7@storefront-db.dynotty.invalid:5432/d2f6g8h0',
      REDIS_URL: 'redis://:p1a3c5e7f9@storefront-redis.dynotty.invalid:6379',
      SESSION_SECRET: 'demo-not-a-secret-storefront',
      CDN_HOST: 'https://cdn.dynotty.invalid',
    },
    runtimeEnv: NODE_ENV,
    source: STOREFRONT_SOURCE,
    dynos: [
      { name: 'run.4821', type: 'run', size: 'Standard-1X', command: 'bash', behaviour: 'attached', ageMinutes: 12 },
      { name: 'web.1', type: 'web', size: 'Standard-2X', command: 'npm start', behaviour: 'serve', ageMinutes: 187 },
      { name: 'web.2', type: 'web', size: 'Standard-2X', command: 'npm start', behaviour: 'serve', ageMinutes: 187 },
      { name: 'worker.1', type: 'worker', size: 'Standard-1X', command: 'node worker.js', behaviour: 'work', ageMinutes: 187 },
    ],
    logLines: {
      serve: ['GET /health 200 3ms', 'GET /products/espresso-beans-1kg 200 27ms', 'POST /cart/items 201 14ms', 'GET /checkout 200 61ms'],
      work: ['order 88213 charged, receipt queued', 'order 88214 stock reserved', 'queue orders: 0 waiting, 2 active'],
    },
  },
  {
    app: cedarApp({
      id: '9e5d3b1f-7c4a-4b2e-a8d6-3f1e0c9b7a25',
      name: 'acme-vault',
      team: 'acme',
      region: 'virginia',
      space: { name: 'acme-shield', shield: true },
      processTier: 'shield',
      execEnabled: false,
      urlHash: 'a4e8c2f06d17',
    }),
    releaseVersion: 89,
    oneOffSize: 'Shield-M',
    configVars: {
      DATABASE_URL: 'postgres://u5t1r8w:p6d2e9f3a0b7c4@vault-db.dynotty.invalid:5432/d9w1e3r5',
      JDBC_DATABASE_URL: 'jdbc:postgresql://vault-db.dynotty.invalid:5432/d9w1e3r5?sslmode=require',
      VAULT_MASTER_KEY_ID: 'kms-demo-0001',
    },
    runtimeEnv: { JAVA_OPTS: '-XX:+UseContainerSupport -Xss512k', JAVA_TOOL_OPTIONS: '-Dfile.encoding=UTF-8' },
    source: VAULT_SOURCE,
    dynos: [
      { name: 'web.1', type: 'web', size: 'Shield-M', command: 'java -Dserver.port=$PORT $JAVA_OPTS -jar target/vault-2.4.1.jar', behaviour: 'serve', ageMinutes: 1440 },
      { name: 'worker.1', type: 'worker', size: 'Shield-M', command: 'java $JAVA_OPTS -cp target/vault-2.4.1.jar com.acme.vault.Rotator', behaviour: 'work', ageMinutes: 1440 },
    ],
    logLines: {
      serve: ['INFO  c.a.v.TokenController : POST /tokens 201 (9 ms)', 'INFO  c.a.v.TokenController : GET /tokens/tok_demo 200 (4 ms)'],
      work: ['INFO  c.a.v.Rotator : next key rotation in 29 days', 'INFO  c.a.v.Rotator : audit log shipped (412 events)'],
    },
  },
  {
    app: cedarApp({
      id: '4c8a2e6f-0b9d-4f1a-9b3e-7d5c1a8e2f03',
      name: 'sideproject-eco',
      team: null,
      region: 'us',
      space: null,
      processTier: 'eco',
      execEnabled: false,
      urlHash: '5d0f7b3e9c28',
    }),
    releaseVersion: 9,
    oneOffSize: 'Eco',
    configVars: { GREETING: 'hello' },
    runtimeEnv: { NODE_ENV: 'production' },
    source: ECO_SOURCE,
    dynos: [{ name: 'web.1', type: 'web', size: 'Eco', command: 'node index.js', behaviour: 'serve', ageMinutes: 23 }],
    logLines: { serve: ['GET / 200 2ms', 'GET /favicon.ico 404 1ms'] },
  },
];
