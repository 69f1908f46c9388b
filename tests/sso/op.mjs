// A real OpenID Connect provider for the single sign-on tests: panva's oidc-provider (npm devDependency),
// running the authorisation-code flow with PKCE required, on 127.0.0.1 and a port of the system's choosing.
//
//   node tests/sso/op.mjs    with OP_REDIRECT_URIS=http://testserver/account/sso/callback/,...
//
// Prints one line of JSON ({"issuer": "http://127.0.0.1:PORT"}) once it listens, and stops when its
// standard input closes, so a test run that dies never leaves it behind.
//
// Clients (secret = client id + "-secret"):
//   fasthold                 an ordinary relying party
//   fasthold-wrong-audience  its ID tokens name another audience (a provider confusing its clients)
//   fasthold-expired         its ID tokens have expired two minutes before they are issued
// Accounts (username / password -> subject): kurt / kurt-pw -> sub-kurt, karen / karen-pw -> sub-karen,
// stranger / stranger-pw -> sub-stranger. The sign-in page has labelled fields, so a browser test can use it.
import http from 'node:http';

import Provider from 'oidc-provider';

const ACCOUNTS = {
  kurt: { password: 'kurt-pw', sub: 'sub-kurt', name: 'Kurt Jensen' },
  karen: { password: 'karen-pw', sub: 'sub-karen', name: 'Karen Holm' },
  stranger: { password: 'stranger-pw', sub: 'sub-stranger', name: 'Stranger Danger' },
};
const BY_SUB = Object.fromEntries(Object.values(ACCOUNTS).map((a) => [a.sub, a]));
const redirectUris = (process.env.OP_REDIRECT_URIS || '').split(',').filter(Boolean);
const client = (clientId) => ({
  client_id: clientId,
  client_secret: `${clientId}-secret`,
  redirect_uris: redirectUris,
  grant_types: ['authorization_code'],
  response_types: ['code'],
  token_endpoint_auth_method: 'client_secret_basic',
});

const escape = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title, body) {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title></head>
<body><main><h1>${escape(title)}</h1>${body}</main></body></html>`;
}

function loginForm(uid, error) {
  return page('Test identity provider', `${error ? `<p role="alert">${escape(error)}</p>` : ''}
<form method="post" action="/interaction/${escape(uid)}/login">
  <p><label for="username">Username</label> <input id="username" name="username" autocomplete="off"></p>
  <p><label for="password">Password</label> <input id="password" name="password" type="password"></p>
  <p><button type="submit">Sign in</button></p>
</form>`);
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => { data += chunk; });
    req.on('end', () => resolve(new URLSearchParams(data)));
    req.on('error', reject);
  });
}

const server = http.createServer();
server.listen(0, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, {
    clients: [client('fasthold'), client('fasthold-wrong-audience'), client('fasthold-expired')],
    cookies: { keys: ['fasthold-test-op-cookie-key'] },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    pkce: { required: () => true },
    claims: { openid: ['sub'], profile: ['name'] },
    async findAccount(ctx, sub) {
      const account = BY_SUB[sub];
      if (!account) return undefined;
      return { accountId: sub, claims: async () => ({ sub, name: account.name }) };
    },
    // First-party test clients: no consent screen; the grant covers what was asked for.
    async loadExistingGrant(ctx) {
      const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client.clientId,
        accountId: ctx.oidc.session.accountId,
      });
      grant.addOIDCScope(ctx.oidc.params.scope);
      await grant.save();
      return grant;
    },
  });

  // The two misbehaving clients. The ID token is still signed by the provider's real key.
  const { issue } = provider.IdToken.prototype;
  provider.IdToken.prototype.issue = async function misbehave(options = {}) {
    const clientId = this.client?.clientId;
    if (options.use === 'idtoken' && clientId === 'fasthold-expired') {
      return issue.call(this, { ...options, expiresAt: Math.floor(Date.now() / 1000) - 120 });
    }
    if (options.use === 'idtoken' && clientId === 'fasthold-wrong-audience') {
      const real = this.client;
      this.client = new Proxy(real, {
        get: (target, prop) => (prop === 'clientId' ? 'another-application' : Reflect.get(target, prop, target)),
      });
      try {
        return await issue.call(this, options);
      } finally {
        this.client = real;
      }
    }
    return issue.call(this, options);
  };

  const callback = provider.callback();
  server.on('request', async (req, res) => {
    const match = req.url.match(/^\/interaction\/([\w-]+)(\/login)?$/);
    if (!match) return callback(req, res);
    try {
      const details = await provider.interactionDetails(req, res);
      if (details.prompt.name !== 'login') throw new Error(`unexpected prompt ${details.prompt.name}`);
      if (req.method === 'POST' && match[2]) {
        const form = await readBody(req);
        const account = ACCOUNTS[form.get('username')];
        if (!account || account.password !== form.get('password')) {
          res.writeHead(400, { 'content-type': 'text/html; charset=utf-8' });
          return res.end(loginForm(details.uid, 'Wrong username or password.'));
        }
        return await provider.interactionFinished(req, res, { login: { accountId: account.sub } }, {
          mergeWithLastSubmission: false,
        });
      }
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      return res.end(loginForm(details.uid));
    } catch (error) {
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
      return res.end(String(error.message || error));
    }
  });

  process.stdout.write(`${JSON.stringify({ issuer })}\n`);
});

process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
process.stdin.on('close', () => process.exit(0));
