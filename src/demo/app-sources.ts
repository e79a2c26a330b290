// The small source trees the demo apps are "deployed" from: what a shell in a
// demo dyno finds in its folder. Paths are relative to the app's root.

export type SourceTree = Readonly<Record<string, string>>;

export const STOREFRONT_SOURCE: SourceTree = {
  Procfile: 'web: npm start\nworker: node worker.js\n',
  'package.json': `${JSON.stringify(
    {
      name: 'acme-storefront',
      version: '3.14.0',
      private: true,
      type: 'module',
      engines: { node: '20.x' },
      scripts: { start: 'node server.js', worker: 'node worker.js' },
      dependencies: { express: '^4.21.2', pg: '^8.13.1', bullmq: '^5.34.0' },
    },
    null,
    2,
  )}\n`,
  'server.js':
    "import express from 'express';\n\nconst app = express();\napp.get('/health', (_req, res) => res.send('ok'));\napp.listen(process.env.PORT ?? 5000);\n",
  'worker.js':
    "import { Worker } from 'bullmq';\n\nnew Worker('orders', async (job) => {\n  // charge, reserve stock, send the receipt\n}, { connection: { url: process.env.REDIS_URL } });\n",
  'config/default.json': `${JSON.stringify({ currency: 'EUR', cartTtlMinutes: 30, featureFlags: { newCheckout: true } }, null, 2)}\n`,
  'README.md':
    '# acme-storefront\n\nThe shop front: an Express web process and a BullMQ worker for orders.\n\n    npm start        # web\n    node worker.js   # worker\n',
};

export const BILLING_SOURCE: SourceTree = {
  Procfile: 'web: bundle exec puma -C config/puma.rb\nworker: bundle exec sidekiq -C config/sidekiq.yml\nrelease: bundle exec rails db:migrate\n',
  Gemfile:
    "source 'https://rubygems.org'\n\nruby '3.3.6'\n\ngem 'rails', '~> 7.2'\ngem 'pg', '~> 1.5'\ngem 'puma', '~> 6.5'\ngem 'sidekiq', '~> 7.3'\n",
  'config/puma.rb':
    "workers Integer(ENV.fetch('WEB_CONCURRENCY', 2))\nthreads 5, 5\nport ENV.fetch('PORT', 3000)\nenvironment ENV.fetch('RACK_ENV', 'production')\npreload_app!\n",
  'config/sidekiq.yml': ':concurrency: 5\n:queues:\n  - invoices\n  - default\n',
  'config/database.yml': 'production:\n  url: <%= ENV["DATABASE_URL"] %>\n  pool: 5\n',
  'README.md':
    '# acme-billing\n\nInvoices and payment runs: a Rails API (puma) and Sidekiq jobs.\n\n    bundle exec rails console\n    bundle exec rails db:migrate\n',
};

export const ML_FIR_SOURCE: SourceTree = {
  Procfile: 'web: gunicorn ml.wsgi --bind 0.0.0.0:$PORT\nworker: python -m ml.worker\n',
  'requirements.txt': 'gunicorn==23.0.0\nflask==3.1.0\nnumpy==2.2.1\nredis==5.2.1\n',
  '.python-version': '3.13\n',
  'project.toml': '[_]\nschema-version = "0.2"\n\n[com.heroku.buildpacks.python]\n',
  'ml/settings.py': "import os\n\nMODEL_PATH = os.environ.get('MODEL_PATH', 'models/ranker-v7.onnx')\nBATCH_SIZE = 32\n",
  'README.md':
    '# acme-ml-fir\n\nRecommendation ranking on Fir (Cloud Native Buildpacks).\nGet a shell with `heroku run:inside <dyno> bash`; `ps:exec` does not exist on Fir.\n',
};

export const VAULT_SOURCE: SourceTree = {
  Procfile: 'web: java -Dserver.port=$PORT $JAVA_OPTS -jar target/vault-2.4.1.jar\nworker: java $JAVA_OPTS -cp target/vault-2.4.1.jar com.acme.vault.Rotator\n',
  'pom.xml':
    '<project>\n  <modelVersion>4.0.0</modelVersion>\n  <groupId>com.acme</groupId>\n  <artifactId>vault</artifactId>\n  <version>2.4.1</version>\n  <packaging>jar</packaging>\n</project>\n',
  'system.properties': 'java.runtime.version=21\n',
  'src/main/resources/application.properties': 'spring.datasource.url=${JDBC_DATABASE_URL}\nvault.audit=true\nvault.key-rotation-days=30\n',
  'README.md':
    '# acme-vault\n\nSecrets and card tokenisation, in a Shield Private Space.\nShells here are audited: `heroku run` sessions log every keystroke.\n',
};

export const ECO_SOURCE: SourceTree = {
  Procfile: 'web: node index.js\n',
  'package.json': `${JSON.stringify(
    {
      name: 'sideproject-eco',
      version: '0.3.2',
      private: true,
      engines: { node: '20.x' },
      scripts: { start: 'node index.js' },
    },
    null,
    2,
  )}\n`,
  'index.js':
    "const http = require('node:http');\n\nhttp.createServer((_req, res) => res.end('hello from an eco dyno\\n')).listen(process.env.PORT ?? 5000);\n",
  '.env.example': 'GREETING=hello\n',
  'README.md': '# sideproject-eco\n\nA weekend project on an Eco dyno: it sleeps after 30 minutes without traffic.\n',
};
