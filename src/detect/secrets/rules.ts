/**
 * The rule table. Provider formats follow the vendors' published token formats and the gitleaks /
 * trufflehog rule sets. Patterns use bounded quantifiers only; `prefixRule` adds look-behind /
 * look-ahead boundaries and an entropy check of the part the prefix does not fix.
 */
import { decodeBase64, hasValidCrc32Checksum } from './checksums.js';
import * as E from './entropy.js';
import * as M from './matchers.js';
import { createGenericSecretRule, STRUCTURAL_RULES } from './structural.js';
import type { ScanContext, SecretRule } from './types.js';

// Bound once: module namespaces may be getter-backed (test runners), and these run per character.
const { charClasses, isPlaceholder, shannonEntropy } = E;
const {
  classTable,
  contextRule,
  customRule,
  gatedGlobalFinder,
  matchAt,
  mentions,
  prefixRule,
  skipInsideRun,
  tokenRegex,
} = M;

const AN = 'A-Za-z0-9';
const ALNUM = classTable(AN);
const HEX = 'a-f0-9';
const UUID = `[${HEX}]{8}-[${HEX}]{4}-[${HEX}]{4}-[${HEX}]{4}-[${HEX}]{12}`;

/** GitHub / npm style: 0.99 with a valid CRC32, 0.5 when the checksum does not match (typo, fake, truncated). */
const crc32Score = (token: string): number => (hasValidCrc32Checksum(token) ? 0.99 : 0.5);

// ---------------------------------------------------------------------------------------------------
// Cloud providers

const awsSecretRule = contextRule({
  id: 'secrets.aws-secret-access-key',
  type: 'AWS_SECRET_ACCESS_KEY',
  description:
    'AWS secret access key (40 chars base64) assigned to an `aws_secret_access_key`-like key, or next to an access key id',
  category: 'cloud',
  keywords: ['aws_secret', 'secret_access_key', 'secretaccesskey', 'secret-access-key', 'aws_secret_key'],
  value: '[A-Za-z0-9/+]{40}',
  boundary: 'A-Za-z0-9/+=',
  minEntropy: 4,
  score: 0.9,
});

const AWS_KEY_ID = tokenRegex('(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}', AN);
const AWS_SECRET_NEARBY = /(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g;

/** Per scan: how far the text has been searched for AWS secrets next to key ids (keeps it linear). */
const awsSearched = new WeakMap<ScanContext, number>();

/** A 40-character secret within a few lines of an access key id is its pair. */
function emitNearbyAwsSecret(ctx: ScanContext, start: number, end: number): void {
  const text = ctx.text;
  const from = Math.max(0, start - 300, awsSearched.get(ctx) ?? 0);
  const to = Math.min(text.length, end + 300);
  if (to <= from) return;
  awsSearched.set(ctx, to);
  // One character of context on each side so that the regex boundaries see the real neighbours.
  const lo = Math.max(0, from - 1);
  const window = text.slice(lo, Math.min(text.length, to + 1));
  AWS_SECRET_NEARBY.lastIndex = 0;
  for (let m = AWS_SECRET_NEARBY.exec(window); m !== null; m = AWS_SECRET_NEARBY.exec(window)) {
    const at = lo + m.index;
    if (at < from || at + 40 > to) continue;
    const s = m[0];
    if (charClasses(s).count >= 3 && shannonEntropy(s) >= 4.2 && !isPlaceholder(s)) {
      ctx.emit(awsSecretRule, at, at + 40, 0.9);
    }
  }
}

const awsAccessKeyIdRule: SecretRule = customRule({
  id: 'secrets.aws-access-key-id',
  type: 'AWS_ACCESS_KEY_ID',
  description:
    'AWS access key id (AKIA long-term, ASIA temporary, ABIA, ACCA, A3T…); a 40-char secret within 300 chars is reported as its pair',
  category: 'cloud',
  keywords: ['AKIA', 'ASIA', 'ABIA', 'ACCA', 'A3T'],
  keywordBoundary: AN,
  score: 0.9,
  validation: 'prefix + base32 body + entropy; `…EXAMPLE` keys ignored',
  find(ctx, start) {
    const skip = skipInsideRun(ctx.text, start, ALNUM);
    if (skip >= 0) return skip;
    const m = matchAt(AWS_KEY_ID, ctx.text, start);
    if (!m) return start + 1;
    const end = start + 20;
    const body = m[0].slice(4);
    if (m[0].endsWith('EXAMPLE') || shannonEntropy(body) < 3) return end;
    ctx.emit(awsAccessKeyIdRule, start, end, m[0].startsWith('AKIA') ? 0.92 : 0.88);
    emitNearbyAwsSecret(ctx, start, end);
    return end;
  },
});

/** Base64 with `+`, `/` and `=` possibly percent-encoded (`X-Amz-Security-Token=` in a presigned URL). */
const unescapeBase64 = (s: string): string =>
  s
    .replace(/%2[Bb]/g, '+')
    .replace(/%2[Ff]/g, '/')
    .replace(/%3[Dd]/g, '=');

/**
 * AWS STS session token. The token is base64 of a protobuf-like blob whose first bytes are fixed per
 * token generation: `\x0a\x09origin_<region kind>` (`IQoJb3JpZ2luX2Vj…`, since 2020), `\x0a\x06er/aws`
 * (`FwoGZXIvYXdz…`), `\x0a\x03aws` (`FQoDYXdz…`, `AQoDYXdz…`). The byte before them varies, so the
 * keywords start at the third character (`offset: 2`). 100–4,096 characters: real tokens are 300 to
 * 1,000+ (far beyond the generic rule's 200), bounded so a base64 run cannot make a match unbounded.
 */
const awsSessionTokenRule = prefixRule({
  id: 'secrets.aws-session-token',
  type: 'AWS_SESSION_TOKEN',
  description:
    'AWS STS session token (`AWS_SESSION_TOKEN`, `"SessionToken"`, `X-Amz-Security-Token`): `IQoJb3JpZ2luX2Vj…`, `FwoGZXIvYXdz…`, `FQoDYXdz…`',
  category: 'cloud',
  keywords: ['oJb3JpZ2luX2', 'oGZXIvYXdz', 'oDYXdz'],
  offset: 2,
  pattern: '[A-Za-z0-9+/]{2}(?:oJb3JpZ2luX2|oGZXIvYXdz|oDYXdz)(?:[A-Za-z0-9+/]|%2[BbFf]){88,4096}(?:=|%3[Dd]){0,2}',
  boundary: 'A-Za-z0-9+/=%_\\-',
  // Checked in `validate`: the generic placeholder test would reject one random token in a few hundred
  // (`your`, `xxxx` occur by chance in 1,000 base64 characters).
  minEntropy: 0,
  score: 0.95,
  validation: 'STS token header (base64 of `origin_…` / `er/aws` / `aws`) + length + entropy; `EXAMPLE` tokens ignored',
  validate(token, ctx, start) {
    const body = unescapeBase64(token);
    if (body.length < 100 || /EXAMPLE|[xX]{8}/.test(body) || shannonEntropy(body) < 4.5) return null;
    // A truncated token in documentation: `IQoJb3JpZ2luX2Vj…` / `...`.
    const after = ctx.text.slice(start + token.length, start + token.length + 3);
    if (after === '...' || after.startsWith('…')) return null;
    return 0.95;
  },
});

const CLOUD: SecretRule[] = [
  awsAccessKeyIdRule,
  awsSecretRule,
  awsSessionTokenRule,
  prefixRule({
    id: 'secrets.aws-mws-key',
    type: 'AWS_MWS_KEY',
    description: 'Amazon Marketplace Web Service auth token',
    category: 'cloud',
    keywords: ['amzn.mws.'],
    pattern: `amzn\\.mws\\.${UUID}`,
    score: 0.95,
  }),
  prefixRule({
    id: 'secrets.gcp-api-key',
    type: 'GCP_API_KEY',
    description: 'Google Cloud / Google AI (Gemini) / Firebase API key `AIza…`',
    category: 'cloud',
    keywords: ['AIza'],
    pattern: 'AIza[A-Za-z0-9_-]{35}',
    score: 0.95,
  }),
  contextRule({
    id: 'secrets.gcp-service-account',
    type: 'GCP_SERVICE_ACCOUNT',
    description: 'Google service-account JSON `private_key_id` (the `private_key` itself is a PEM block)',
    category: 'cloud',
    keywords: ['private_key_id'],
    value: `[${HEX}]{40}`,
    score: 0.85,
    validation: 'key name + 40 hex; the private key is reported by secrets.private-key',
  }),
  prefixRule({
    id: 'secrets.google-oauth-client-secret',
    type: 'GOOGLE_OAUTH_CLIENT_SECRET',
    description: 'Google OAuth client secret `GOCSPX-…`',
    category: 'cloud',
    keywords: ['GOCSPX-'],
    pattern: 'GOCSPX-[A-Za-z0-9_-]{28}',
    score: 0.95,
  }),
  prefixRule({
    id: 'secrets.google-oauth-access-token',
    type: 'GOOGLE_OAUTH_TOKEN',
    description: 'Google OAuth 2.0 access token `ya29.…`',
    category: 'cloud',
    keywords: ['ya29.'],
    pattern: 'ya29\\.[A-Za-z0-9_-]{30,2048}',
    score: 0.9,
  }),
  prefixRule({
    id: 'secrets.azure-storage-account-key',
    type: 'AZURE_STORAGE_KEY',
    description: 'Azure Storage connection string `AccountKey=` (88-char base64 key; span = the key)',
    category: 'cloud',
    keywords: ['AccountKey='],
    pattern: 'AccountKey=[A-Za-z0-9+/]{86}==',
    boundary: 'A-Za-z0-9+/=',
    skip: 'AccountKey='.length,
    minEntropy: 4,
    score: 0.95,
  }),
  prefixRule({
    id: 'secrets.azure-shared-access-key',
    type: 'AZURE_SHARED_ACCESS_KEY',
    description: 'Azure Service Bus / Event Hubs / IoT Hub connection string `SharedAccessKey=` (span = the key)',
    category: 'cloud',
    keywords: ['SharedAccessKey='],
    pattern: 'SharedAccessKey=[A-Za-z0-9+/]{42,43}=',
    boundary: 'A-Za-z0-9+/=',
    skip: 'SharedAccessKey='.length,
    minEntropy: 4,
    score: 0.93,
  }),
  prefixRule({
    id: 'secrets.azure-sas-token',
    type: 'AZURE_SAS_TOKEN',
    description: 'Azure shared access signature: `sig=` in a query string that also carries `sv=<date>`',
    category: 'cloud',
    keywords: ['sig='],
    pattern: 'sig=(?:[A-Za-z0-9+/]|%2[BbFf]){30,120}(?:=|%3[Dd]){0,2}',
    boundary: 'A-Za-z0-9%+/=',
    skip: 4,
    minEntropy: 3.5,
    score: 0.92,
    validation: 'signature format + `sv=YYYY-MM-DD` in the same URL',
    validate(_token, ctx, start) {
      const before = ctx.text.charCodeAt(start - 1);
      if (before !== 38 && before !== 63) return null; // must be a query parameter
      const url = ctx.text.slice(Math.max(0, start - 400), Math.min(ctx.text.length, start + 200));
      return /[?&]sv=\d{4}-\d{2}-\d{2}/.test(url) ? 0.92 : null;
    },
  }),
  prefixRule({
    id: 'secrets.azure-ad-client-secret',
    type: 'AZURE_CLIENT_SECRET',
    description: 'Microsoft Entra ID (Azure AD) application client secret `xxx8Q~…`',
    category: 'cloud',
    keywords: ['0Q~', '1Q~', '2Q~', '3Q~', '4Q~', '5Q~', '6Q~', '7Q~', '8Q~', '9Q~'],
    offset: 3,
    pattern: '[A-Za-z0-9_~.]{3}[0-9]Q~[A-Za-z0-9_~.-]{31,34}',
    boundary: 'A-Za-z0-9_~.\\-',
    score: 0.9,
  }),
  prefixRule({
    id: 'secrets.azure-devops-pat',
    type: 'AZURE_DEVOPS_PAT',
    description: 'Azure DevOps personal access token, 84-char format with the `AZDO` signature',
    category: 'cloud',
    keywords: ['AZDO'],
    offset: 76,
    pattern: `[${AN}]{76}AZDO[${AN}]{4}`,
    minEntropy: 4,
    score: 0.9,
  }),
  contextRule({
    id: 'secrets.azure-devops-pat-legacy',
    type: 'AZURE_DEVOPS_PAT',
    description: 'Azure DevOps personal access token, legacy 52-char base32 form, under an Azure DevOps key',
    category: 'cloud',
    keywords: ['azure_devops', 'azuredevops', 'azdo', 'ado_pat', 'ado_token', 'devops_pat', 'devops_token'],
    value: '[a-z2-7]{52}',
    score: 0.85,
  }),
  prefixRule({
    id: 'secrets.digitalocean-token',
    type: 'DIGITALOCEAN_TOKEN',
    description: 'DigitalOcean personal access / OAuth / refresh token `dop_v1_`, `doo_v1_`, `dor_v1_`',
    category: 'cloud',
    keywords: ['dop_v1_', 'doo_v1_', 'dor_v1_'],
    pattern: `do[opr]_v1_[${HEX}]{64}`,
    score: 0.97,
  }),
  prefixRule({
    id: 'secrets.alibaba-access-key-id',
    type: 'ALIBABA_ACCESS_KEY_ID',
    description: 'Alibaba Cloud AccessKey id `LTAI…`',
    category: 'cloud',
    keywords: ['LTAI'],
    pattern: `LTAI[${AN}]{12,20}`,
    score: 0.9,
  }),
  contextRule({
    id: 'secrets.alibaba-secret-key',
    type: 'ALIBABA_SECRET_KEY',
    description: 'Alibaba Cloud AccessKey secret (30 chars) under an `alibaba` / `aliyun` / `access_key_secret` key',
    category: 'cloud',
    keywords: ['alibaba', 'aliyun', 'accesskeysecret', 'access_key_secret'],
    value: `[${AN}]{30}`,
    score: 0.85,
  }),
  prefixRule({
    id: 'secrets.tencent-secret-id',
    type: 'TENCENT_SECRET_ID',
    description: 'Tencent Cloud SecretId `AKID…`',
    category: 'cloud',
    keywords: ['AKID'],
    pattern: `AKID[${AN}]{32}`,
    score: 0.9,
  }),
  contextRule({
    id: 'secrets.ibm-cloud-api-key',
    type: 'IBM_CLOUD_API_KEY',
    description: 'IBM Cloud IAM API key (44 chars) under an `ibm` key',
    category: 'cloud',
    keywords: ['ibm_cloud', 'ibmcloud', 'ibm-cloud', 'ibm_api', 'ibm_iam', 'iam_apikey', 'ibm_key'],
    value: '[A-Za-z0-9_-]{44}',
    score: 0.85,
  }),
  contextRule({
    id: 'secrets.cloudflare-api-token',
    type: 'CLOUDFLARE_API_TOKEN',
    description: 'Cloudflare API token (40 chars) or global API key (37 hex) under a `cloudflare` / `cf_api` key',
    category: 'cloud',
    keywords: ['cloudflare', 'cf_api', 'cf_token'],
    value: `[A-Za-z0-9_-]{40}|[${HEX}]{37}`,
    score: 0.85,
  }),
  prefixRule({
    id: 'secrets.cloudflare-origin-ca-key',
    type: 'CLOUDFLARE_ORIGIN_CA_KEY',
    description: 'Cloudflare Origin CA key `v1.0-…`',
    category: 'cloud',
    keywords: ['v1.0-'],
    pattern: `v1\\.0-[${HEX}]{24}-[${HEX}]{146}`,
    score: 0.93,
  }),
  prefixRule({
    id: 'secrets.heroku-api-key',
    type: 'HEROKU_API_KEY',
    description: 'Heroku platform API key, current `HRKU-AA…` format',
    category: 'cloud',
    keywords: ['HRKU-AA'],
    pattern: 'HRKU-AA[A-Za-z0-9_-]{58}',
    score: 0.97,
  }),
  contextRule({
    id: 'secrets.heroku-api-key-legacy',
    type: 'HEROKU_API_KEY',
    description: 'Heroku API key, legacy UUID form, under a `heroku` key',
    category: 'cloud',
    keywords: ['heroku'],
    value: UUID,
    score: 0.8,
  }),
];

// ---------------------------------------------------------------------------------------------------
// Version control

const VCS: SecretRule[] = [
  prefixRule({
    id: 'secrets.github-pat',
    type: 'GITHUB_TOKEN',
    description: 'GitHub classic personal access token `ghp_…`',
    category: 'vcs',
    keywords: ['ghp_'],
    pattern: `ghp_[${AN}]{36}`,
    score: 0.99,
    validation: 'CRC32 checksum (base62, last 6 chars)',
    validate: crc32Score,
  }),
  prefixRule({
    id: 'secrets.github-oauth',
    type: 'GITHUB_TOKEN',
    description: 'GitHub OAuth access token `gho_…`',
    category: 'vcs',
    keywords: ['gho_'],
    pattern: `gho_[${AN}]{36}`,
    score: 0.99,
    validation: 'CRC32 checksum (base62, last 6 chars)',
    validate: crc32Score,
  }),
  prefixRule({
    id: 'secrets.github-app-token',
    type: 'GITHUB_TOKEN',
    description: 'GitHub App user-to-server `ghu_…` / installation `ghs_…` token',
    category: 'vcs',
    keywords: ['ghu_', 'ghs_'],
    pattern: `gh[us]_[${AN}]{36}`,
    score: 0.99,
    validation: 'CRC32 checksum (base62, last 6 chars)',
    validate: crc32Score,
  }),
  prefixRule({
    id: 'secrets.github-refresh-token',
    type: 'GITHUB_TOKEN',
    description: 'GitHub refresh token `ghr_…`',
    category: 'vcs',
    keywords: ['ghr_'],
    pattern: `ghr_[${AN}]{36}`,
    score: 0.99,
    validation: 'CRC32 checksum (base62, last 6 chars)',
    validate: crc32Score,
  }),
  prefixRule({
    id: 'secrets.github-fine-grained-pat',
    type: 'GITHUB_TOKEN',
    description: 'GitHub fine-grained personal access token `github_pat_<22>_<59>`',
    category: 'vcs',
    keywords: ['github_pat_'],
    pattern: `github_pat_[${AN}]{22}_[${AN}]{59}`,
    score: 0.97,
  }),
  prefixRule({
    id: 'secrets.gitlab-pat',
    type: 'GITLAB_TOKEN',
    description: 'GitLab personal / project / group access token `glpat-…` (legacy and routable formats)',
    category: 'vcs',
    keywords: ['glpat-'],
    pattern: 'glpat-(?:[A-Za-z0-9_-]{27,300}\\.[0-9a-z]{9}|[A-Za-z0-9_-]{20})',
    score: 0.97,
  }),
  prefixRule({
    id: 'secrets.gitlab-token',
    type: 'GITLAB_TOKEN',
    description:
      'Other GitLab tokens: deploy `gldt-`, runner `glrt-`, pipeline trigger `glptt-`, CI job `glcbt-`, feed `glft-`, mail `glimt-`, agent `glagent-`, OAuth app `gloas-`, SCIM `glsoat-`, runner registration `GR1348941`',
    category: 'vcs',
    keywords: ['gldt-', 'glrt-', 'glptt-', 'glcbt-', 'glft-', 'glimt-', 'glagent-', 'gloas-', 'glsoat-', 'GR1348941'],
    pattern:
      'gldt-[A-Za-z0-9_-]{20}|glrt-(?:t[0-9]_)?[A-Za-z0-9_-]{20,300}(?:\\.[0-9a-z]{9})?|glptt-[a-f0-9]{40}|glcbt-[0-9a-zA-Z]{1,5}_[0-9a-zA-Z_-]{20}|glft-[A-Za-z0-9_-]{20}|glimt-[A-Za-z0-9_-]{25}|glagent-[A-Za-z0-9_-]{50}|gloas-[A-Za-z0-9_-]{64}|glsoat-[A-Za-z0-9_-]{20}|GR1348941[A-Za-z0-9_-]{20}',
    score: 0.95,
  }),
  prefixRule({
    id: 'secrets.bitbucket-app-password',
    type: 'BITBUCKET_TOKEN',
    description: 'Bitbucket app password `ATBB…`',
    category: 'vcs',
    keywords: ['ATBB'],
    pattern: `ATBB[${AN}]{32}`,
    score: 0.93,
  }),
];

// ---------------------------------------------------------------------------------------------------
// CI / CD

const CI: SecretRule[] = [
  prefixRule({
    id: 'secrets.circleci-token',
    type: 'CIRCLECI_TOKEN',
    description: 'CircleCI personal `CCIPAT_…` / project `CCIPRJ_…` API token',
    category: 'ci',
    keywords: ['CCIPAT_', 'CCIPRJ_'],
    pattern: `CCIP(?:AT|RJ)_[${AN}]{22}_[${HEX}]{40}`,
    score: 0.97,
  }),
  contextRule({
    id: 'secrets.circleci-token-legacy',
    type: 'CIRCLECI_TOKEN',
    description: 'CircleCI legacy API token (40 hex) under a `circle` key',
    category: 'ci',
    keywords: ['circleci', 'circle_token', 'circle-token', 'circle_api'],
    value: `[${HEX}]{40}`,
    score: 0.85,
  }),
  contextRule({
    id: 'secrets.travis-ci-token',
    type: 'TRAVIS_CI_TOKEN',
    description: 'Travis CI API token (22 chars) under a `travis` key',
    category: 'ci',
    keywords: ['travis'],
    value: '[A-Za-z0-9_-]{22}',
    score: 0.8,
  }),
  contextRule({
    id: 'secrets.jenkins-api-token',
    type: 'JENKINS_TOKEN',
    description: 'Jenkins API token (32–34 hex) under a `jenkins` key',
    category: 'ci',
    keywords: ['jenkins'],
    value: `[${HEX}]{32,34}`,
    score: 0.8,
  }),
  prefixRule({
    id: 'secrets.buildkite-token',
    type: 'BUILDKITE_TOKEN',
    description: 'Buildkite API access token `bkua_…`',
    category: 'ci',
    keywords: ['bkua_'],
    pattern: `bkua_[${HEX}]{40}`,
    score: 0.95,
  }),
  prefixRule({
    id: 'secrets.sonarqube-token',
    type: 'SONARQUBE_TOKEN',
    description: 'SonarQube / SonarCloud token `sqp_`, `squ_`, `sqa_`',
    category: 'ci',
    keywords: ['sqp_', 'squ_', 'sqa_'],
    pattern: `sq[pua]_[${HEX}]{40}`,
    score: 0.93,
  }),
];

// ---------------------------------------------------------------------------------------------------
// Payments

const PAYMENTS: SecretRule[] = [
  prefixRule({
    id: 'secrets.stripe-secret-key',
    type: 'STRIPE_SECRET_KEY',
    description: 'Stripe secret `sk_live_` / restricted `rk_live_` key (test-mode keys score lower)',
    category: 'payments',
    keywords: ['sk_live_', 'rk_live_', 'sk_test_', 'rk_test_', 'sk_prod_', 'rk_prod_'],
    pattern: `[sr]k_(?:live|test|prod)_[${AN}]{20,247}`,
    score: 0.97,
    validate: (token) => (token.includes('_test_') ? 0.75 : 0.97),
  }),
  prefixRule({
    id: 'secrets.stripe-webhook-secret',
    type: 'STRIPE_WEBHOOK_SECRET',
    description: 'Stripe (and Svix) webhook signing secret `whsec_…`',
    category: 'payments',
    keywords: ['whsec_'],
    pattern: 'whsec_[A-Za-z0-9+/=]{32,88}',
    boundary: 'A-Za-z0-9_+/=\\-',
    score: 0.9,
  }),
  prefixRule({
    id: 'secrets.stripe-publishable-key',
    type: 'STRIPE_PUBLISHABLE_KEY',
    description: 'Stripe live publishable key `pk_live_…` (meant for browsers; low risk)',
    category: 'payments',
    keywords: ['pk_live_'],
    pattern: `pk_live_[${AN}]{20,247}`,
    score: 0.5,
  }),
  prefixRule({
    id: 'secrets.square-token',
    type: 'SQUARE_TOKEN',
    description: 'Square access token `EAAA…` / `sq0atp-…` and OAuth secret `sq0csp-…`',
    category: 'payments',
    keywords: ['sq0atp-', 'sq0csp-', 'EAAA'],
    pattern: 'sq0atp-[A-Za-z0-9_-]{22}|sq0csp-[A-Za-z0-9_-]{43}|EAAA[A-Za-z0-9_+-]{60}',
    score: 0.93,
  }),
  prefixRule({
    id: 'secrets.paypal-braintree-token',
    type: 'PAYPAL_BRAINTREE_TOKEN',
    description: 'PayPal Braintree production access token `access_token$production$…`',
    category: 'payments',
    keywords: ['access_token$production$'],
    pattern: `access_token\\$production\\$[0-9a-z]{16}\\$[${HEX}]{32}`,
    score: 0.97,
  }),
  prefixRule({
    id: 'secrets.adyen-api-key',
    type: 'ADYEN_API_KEY',
    description: 'Adyen API key `AQE…` (scores higher when Adyen is mentioned)',
    category: 'payments',
    keywords: ['AQE'],
    pattern: 'AQE[A-Za-z0-9+/=._-]{80,400}',
    boundary: 'A-Za-z0-9+/=._\\-',
    minEntropy: 4,
    score: 0.9,
    validate: (_token, ctx) => (mentions(ctx, 'adyen') ? 0.9 : 0.7),
  }),
  prefixRule({
    id: 'secrets.flutterwave-secret-key',
    type: 'FLUTTERWAVE_SECRET_KEY',
    description: 'Flutterwave secret key `FLWSECK-…-X` / `FLWSECK_TEST-…-X`',
    category: 'payments',
    keywords: ['FLWSECK-', 'FLWSECK_TEST-'],
    pattern: `FLWSECK(?:_TEST)?-[${HEX}]{32}-X`,
    score: 0.95,
    validate: (token) => (token.includes('_TEST') ? 0.75 : 0.95),
  }),
];

// ---------------------------------------------------------------------------------------------------
// Messaging and e-mail

const DISCORD_BOT_TOKEN =
  /(?<![A-Za-z0-9_.-])([MNO][A-Za-z0-9]{23,25})\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,38}(?![A-Za-z0-9_.-])/g;

const discordBotTokenRule: SecretRule = customRule({
  id: 'secrets.discord-bot-token',
  type: 'DISCORD_BOT_TOKEN',
  description: 'Discord bot token `<base64 user id>.<timestamp>.<hmac>` (scanned when Discord is mentioned)',
  category: 'messaging',
  keywords: ['discord'],
  caseInsensitive: true,
  score: 0.95,
  validation: 'first part base64-decodes to a numeric snowflake id',
  find: gatedGlobalFinder(DISCORD_BOT_TOKEN, (ctx, m) => {
    const id = decodeBase64(m[1]);
    if (id !== null && /^[1-9][0-9]{16,19}$/.test(id)) {
      ctx.emit(discordBotTokenRule, m.index, m.index + m[0].length, 0.95);
    }
  }),
});

const twilioAccountSidRule = prefixRule({
  id: 'secrets.twilio-account-sid',
  type: 'TWILIO_ACCOUNT_SID',
  description: 'Twilio account SID `AC…` (an identifier, reported when Twilio is mentioned; pairs with the auth token)',
  category: 'messaging',
  keywords: ['AC'],
  pattern: `AC[${HEX}]{32}`,
  boundary: AN,
  score: 0.6,
  priority: 2,
  validation: 'prefix + 32 hex, only in texts that mention Twilio',
  validate: (_token, ctx) => (mentions(ctx, 'twilio') ? 0.6 : null),
});

const TELEGRAM_BOT_TOKEN = tokenRegex('[0-9]{8,10}:AA[A-Za-z0-9_-]{33}', 'A-Za-z0-9_:\\-');

const telegramRule: SecretRule = customRule({
  id: 'secrets.telegram-bot-token',
  type: 'TELEGRAM_BOT_TOKEN',
  description: 'Telegram Bot API token `<bot id>:AA…`',
  category: 'messaging',
  keywords: [':AA'],
  score: 0.9,
  validation: 'bot id digits + `:AA` + 33 chars + entropy',
  find(ctx, start) {
    const text = ctx.text;
    let digits = start;
    while (
      digits > start - 11 &&
      digits > 0 &&
      text.charCodeAt(digits - 1) >= 48 &&
      text.charCodeAt(digits - 1) <= 57
    ) {
      digits--;
    }
    const m = matchAt(TELEGRAM_BOT_TOKEN, text, digits);
    if (!m) return start + 1;
    const end = digits + m[0].length;
    if (shannonEntropy(m[0].slice(m[0].indexOf(':') + 3)) < 3.5) return end;
    ctx.emit(telegramRule, digits, end, mentions(ctx, 'telegram') || mentions(ctx, 'bot') ? 0.93 : 0.88);
    return end;
  },
});

const MESSAGING: SecretRule[] = [
  prefixRule({
    id: 'secrets.slack-bot-token',
    type: 'SLACK_TOKEN',
    description: 'Slack bot token `xoxb-…`',
    category: 'messaging',
    keywords: ['xoxb-'],
    pattern: 'xoxb-[0-9]{10,13}-[0-9]{10,13}-[A-Za-z0-9]{24,34}|xoxb-[0-9]{8,14}-[A-Za-z0-9]{18,26}',
    score: 0.97,
  }),
  prefixRule({
    id: 'secrets.slack-user-token',
    type: 'SLACK_TOKEN',
    description: 'Slack user token `xoxp-…`',
    category: 'messaging',
    keywords: ['xoxp-'],
    pattern: 'xoxp-[0-9]{10,13}-[0-9]{10,13}-[0-9]{10,13}-[A-Za-z0-9]{28,34}',
    score: 0.97,
  }),
  prefixRule({
    id: 'secrets.slack-app-token',
    type: 'SLACK_TOKEN',
    description: 'Slack app-level token `xapp-…`',
    category: 'messaging',
    keywords: ['xapp-'],
    pattern: 'xapp-[0-9]-[A-Z0-9]{8,14}-[0-9]{10,14}-[a-z0-9]{32,80}',
    score: 0.97,
  }),
  prefixRule({
    id: 'secrets.slack-legacy-token',
    type: 'SLACK_TOKEN',
    description:
      'Slack legacy / workspace / refresh / configuration tokens `xoxa-`, `xoxr-`, `xoxo-`, `xoxs-`, `xoxe-`',
    category: 'messaging',
    keywords: ['xoxa-', 'xoxr-', 'xoxo-', 'xoxs-', 'xoxe-', 'xoxe.xox'],
    pattern:
      'xox[os]-[0-9]{1,14}-[0-9]{1,14}-[0-9]{1,14}-[a-fA-F0-9]{8,64}|xox[ar]-(?:[0-9]-)?[0-9a-zA-Z]{8,48}|xoxe\\.xox[bp]-[0-9]-[A-Za-z0-9]{163,166}|xoxe-[0-9]-[A-Za-z0-9]{146}',
    score: 0.93,
  }),
  prefixRule({
    id: 'secrets.slack-webhook',
    type: 'SLACK_WEBHOOK',
    description: 'Slack incoming webhook / workflow URL `hooks.slack.com/…`',
    category: 'messaging',
    keywords: ['hooks.slack.com/'],
    pattern: `hooks\\.slack\\.com/(?:services/T[${AN}]{8,12}/B[${AN}]{8,12}/[${AN}]{23,25}|(?:workflows|triggers)/[A-Za-z0-9+/]{43,56})`,
    boundary: AN,
    extendBack: ['https://', 'http://'],
    score: 0.95,
  }),
  discordBotTokenRule,
  prefixRule({
    id: 'secrets.discord-webhook',
    type: 'DISCORD_WEBHOOK',
    description: 'Discord webhook URL `discord.com/api/webhooks/<id>/<token>`',
    category: 'messaging',
    keywords: ['discord.com/api/webhooks/', 'discordapp.com/api/webhooks/'],
    pattern: 'discord(?:app)?\\.com/api/webhooks/[0-9]{17,20}/[A-Za-z0-9_-]{60,68}',
    boundary: AN,
    extendBack: ['https://ptb.', 'https://canary.', 'https://'],
    score: 0.95,
  }),
  telegramRule,
  prefixRule({
    id: 'secrets.twilio-api-key',
    type: 'TWILIO_API_KEY',
    description: 'Twilio API key SID `SK…` (32 hex)',
    category: 'messaging',
    keywords: ['SK'],
    pattern: `SK[${HEX}]{32}`,
    minEntropy: 3.2,
    score: 0.85,
    validate: (_token, ctx) => (mentions(ctx, 'twilio') ? 0.93 : 0.85),
  }),
  twilioAccountSidRule,
  contextRule({
    id: 'secrets.twilio-auth-token',
    type: 'TWILIO_AUTH_TOKEN',
    description: 'Twilio auth token (32 hex) under a `twilio` key',
    category: 'messaging',
    keywords: ['twilio'],
    value: `[${HEX}]{32}`,
    score: 0.85,
  }),
  prefixRule({
    id: 'secrets.sendgrid-api-key',
    type: 'SENDGRID_API_KEY',
    description: 'SendGrid API key `SG.<22>.<43>`',
    category: 'messaging',
    keywords: ['SG.'],
    pattern: 'SG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}',
    score: 0.97,
  }),
  prefixRule({
    id: 'secrets.mailgun-api-key',
    type: 'MAILGUN_API_KEY',
    description: 'Mailgun private API key `key-…` (32 hex)',
    category: 'messaging',
    keywords: ['key-'],
    pattern: `key-[${HEX}]{32}`,
    score: 0.85,
    validate: (_token, ctx) => (mentions(ctx, 'mailgun') ? 0.93 : 0.8),
  }),
  prefixRule({
    id: 'secrets.mailchimp-api-key',
    type: 'MAILCHIMP_API_KEY',
    description: 'Mailchimp API key `<32 hex>-us<dc>`',
    category: 'messaging',
    keywords: ['-us'],
    offset: 32,
    pattern: `[${HEX}]{32}-us[0-9]{1,2}`,
    score: 0.93,
  }),
  prefixRule({
    id: 'secrets.brevo-api-key',
    type: 'BREVO_API_KEY',
    description: 'Brevo (Sendinblue) API key `xkeysib-…`',
    category: 'messaging',
    keywords: ['xkeysib-'],
    pattern: `xkeysib-[${HEX}]{64}-[${AN}]{16}`,
    score: 0.97,
  }),
];

// ---------------------------------------------------------------------------------------------------
// AI providers

const AI: SecretRule[] = [
  prefixRule({
    id: 'secrets.openai-api-key',
    type: 'OPENAI_API_KEY',
    description:
      'OpenAI API key: project `sk-proj-`, service account `sk-svcacct-`, admin `sk-admin-` (0.97 with the `T3BlbkFJ` marker)',
    category: 'ai',
    keywords: ['sk-proj-', 'sk-svcacct-', 'sk-admin-', 'sk-None-'],
    pattern: 'sk-(?:proj|svcacct|admin|None)-[A-Za-z0-9_-]{40,300}',
    minEntropy: 3.5,
    score: 0.97,
    validation: 'prefix + entropy; `T3BlbkFJ` marker (base64 of "OpenAI") raises the score',
    validate: (token) => (token.includes('T3BlbkFJ') ? 0.97 : 0.88),
  }),
  prefixRule({
    id: 'secrets.openai-api-key-legacy',
    type: 'OPENAI_API_KEY',
    description: 'OpenAI legacy user API key `sk-<20>T3BlbkFJ<20>`',
    category: 'ai',
    keywords: ['T3BlbkFJ'],
    offset: 23,
    pattern: `sk-[${AN}]{20}T3BlbkFJ[${AN}]{20}`,
    minEntropy: 3.5,
    score: 0.97,
  }),
  prefixRule({
    id: 'secrets.anthropic-api-key',
    type: 'ANTHROPIC_API_KEY',
    description: 'Anthropic API key `sk-ant-api03-…AA` (other `sk-ant-` key kinds score 0.9)',
    category: 'ai',
    keywords: ['sk-ant-api03-', 'sk-ant-oat01-', 'sk-ant-ort01-'],
    pattern: 'sk-ant-api03-[A-Za-z0-9_-]{93}AA|sk-ant-[a-z]{3}[0-9]{2}-[A-Za-z0-9_-]{80,120}',
    score: 0.99,
    validate: (token) => (/^sk-ant-api03-[A-Za-z0-9_-]{93}AA$/.test(token) ? 0.99 : 0.9),
  }),
  prefixRule({
    id: 'secrets.anthropic-admin-key',
    type: 'ANTHROPIC_API_KEY',
    description: 'Anthropic Admin API key `sk-ant-admin01-…AA`',
    category: 'ai',
    keywords: ['sk-ant-admin01-'],
    pattern: 'sk-ant-admin01-[A-Za-z0-9_-]{93}AA',
    score: 0.99,
  }),
  prefixRule({
    id: 'secrets.huggingface-token',
    type: 'HUGGINGFACE_TOKEN',
    description: 'Hugging Face user access token `hf_…`',
    category: 'ai',
    keywords: ['hf_'],
    pattern: `hf_[${AN}]{34}`,
    minEntropy: 3.5,
    score: 0.93,
  }),
  prefixRule({
    id: 'secrets.huggingface-org-token',
    type: 'HUGGINGFACE_TOKEN',
    description: 'Hugging Face organisation API token `api_org_…`',
    category: 'ai',
    keywords: ['api_org_'],
    pattern: `api_org_[${AN}]{34}`,
    minEntropy: 3.5,
    score: 0.93,
  }),
  contextRule({
    id: 'secrets.cohere-api-key',
    type: 'COHERE_API_KEY',
    description: 'Cohere API key (40 chars) under a `cohere` / `co_api_key` key',
    category: 'ai',
    keywords: ['cohere', 'co_api_key'],
    value: `[${AN}]{40}`,
    minEntropy: 4,
    score: 0.85,
  }),
  prefixRule({
    id: 'secrets.replicate-api-token',
    type: 'REPLICATE_API_TOKEN',
    description: 'Replicate API token `r8_…`',
    category: 'ai',
    keywords: ['r8_'],
    pattern: `r8_[${AN}]{37}`,
    minEntropy: 3.5,
    score: 0.95,
  }),
  prefixRule({
    id: 'secrets.groq-api-key',
    type: 'GROQ_API_KEY',
    description: 'Groq API key `gsk_…`',
    category: 'ai',
    keywords: ['gsk_'],
    pattern: `gsk_[${AN}]{52}`,
    minEntropy: 3.5,
    score: 0.95,
  }),
  prefixRule({
    id: 'secrets.perplexity-api-key',
    type: 'PERPLEXITY_API_KEY',
    description: 'Perplexity API key `pplx-…`',
    category: 'ai',
    keywords: ['pplx-'],
    pattern: `pplx-[${AN}]{48}`,
    minEntropy: 3.5,
    score: 0.95,
  }),
  prefixRule({
    id: 'secrets.xai-api-key',
    type: 'XAI_API_KEY',
    description: 'xAI (Grok) API key `xai-…`',
    category: 'ai',
    keywords: ['xai-'],
    pattern: `xai-[${AN}]{80}`,
    minEntropy: 3.5,
    score: 0.95,
  }),
  prefixRule({
    id: 'secrets.openrouter-api-key',
    type: 'OPENROUTER_API_KEY',
    description: 'OpenRouter API key `sk-or-v1-…`',
    category: 'ai',
    keywords: ['sk-or-v1-'],
    pattern: `sk-or-v1-[${HEX}]{64}`,
    score: 0.97,
  }),
  prefixRule({
    id: 'secrets.langsmith-api-key',
    type: 'LANGSMITH_API_KEY',
    description: 'LangSmith API key `lsv2_pt_…` / `lsv2_sk_…`',
    category: 'ai',
    keywords: ['lsv2_'],
    pattern: `lsv2_(?:pt|sk)_[${HEX}]{32}_[${HEX}]{10}`,
    score: 0.97,
  }),
  contextRule({
    id: 'secrets.mistral-api-key',
    type: 'MISTRAL_API_KEY',
    description: 'Mistral AI API key (32 chars) under a `mistral` key',
    category: 'ai',
    keywords: ['mistral'],
    value: `[${AN}]{32}`,
    minEntropy: 3.8,
    score: 0.85,
  }),
];

// ---------------------------------------------------------------------------------------------------
// Package registries

const REGISTRIES: SecretRule[] = [
  prefixRule({
    id: 'secrets.npm-token',
    type: 'NPM_TOKEN',
    description: 'npm access token `npm_…` (GitHub-style CRC32 checksum)',
    category: 'registry',
    keywords: ['npm_'],
    pattern: `npm_[${AN}]{36}`,
    score: 0.97,
    validation: 'CRC32 checksum (base62, last 6 chars); 0.8 without',
    validate: (token) => (hasValidCrc32Checksum(token) ? 0.99 : 0.8),
  }),
  prefixRule({
    id: 'secrets.pypi-token',
    type: 'PYPI_TOKEN',
    description: 'PyPI / TestPyPI upload token (macaroon `pypi-AgEIcHlwaS5vcmc…`)',
    category: 'registry',
    keywords: ['pypi-AgEIcHlwaS5vcmc', 'pypi-AgENdGVzdC5weXBpLm9yZw'],
    pattern: 'pypi-(?:AgEIcHlwaS5vcmc|AgENdGVzdC5weXBpLm9yZw)[A-Za-z0-9_-]{50,1000}',
    score: 0.98,
  }),
  prefixRule({
    id: 'secrets.nuget-api-key',
    type: 'NUGET_API_KEY',
    description: 'NuGet.org API key `oy2…` (46 lower-case alphanumerics)',
    category: 'registry',
    keywords: ['oy2'],
    pattern: 'oy2[a-z0-9]{43}',
    minEntropy: 3.8,
    score: 0.85,
    validate: (_token, ctx) => (mentions(ctx, 'nuget') ? 0.93 : 0.85),
  }),
  prefixRule({
    id: 'secrets.rubygems-api-key',
    type: 'RUBYGEMS_API_KEY',
    description: 'RubyGems API key `rubygems_…`',
    category: 'registry',
    keywords: ['rubygems_'],
    pattern: `rubygems_[${HEX}]{48}`,
    score: 0.97,
  }),
  prefixRule({
    id: 'secrets.docker-hub-pat',
    type: 'DOCKER_HUB_TOKEN',
    description: 'Docker Hub personal access token `dckr_pat_…`',
    category: 'registry',
    keywords: ['dckr_pat_'],
    pattern: 'dckr_pat_[A-Za-z0-9_-]{27}',
    score: 0.95,
  }),
  prefixRule({
    id: 'secrets.jfrog-api-key',
    type: 'JFROG_API_KEY',
    description: 'JFrog Artifactory API key `AKCp…`',
    category: 'registry',
    keywords: ['AKCp'],
    pattern: `AKCp[${AN}]{69}`,
    minEntropy: 4,
    score: 0.93,
  }),
  prefixRule({
    id: 'secrets.clojars-token',
    type: 'CLOJARS_TOKEN',
    description: 'Clojars deploy token `CLOJARS_…`',
    category: 'registry',
    keywords: ['CLOJARS_'],
    pattern: 'CLOJARS_[a-z0-9]{60}',
    score: 0.95,
  }),
];

// ---------------------------------------------------------------------------------------------------
// SaaS and productivity

const SAAS: SecretRule[] = [
  prefixRule({
    id: 'secrets.shopify-token',
    type: 'SHOPIFY_TOKEN',
    description: 'Shopify admin `shpat_`, custom app `shpca_`, private app `shppa_` token and shared secret `shpss_`',
    category: 'saas',
    keywords: ['shpat_', 'shpca_', 'shppa_', 'shpss_'],
    pattern: 'shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}',
    score: 0.97,
  }),
  prefixRule({
    id: 'secrets.atlassian-api-token',
    type: 'ATLASSIAN_API_TOKEN',
    description: 'Atlassian (Jira, Confluence) API token `ATATT3…`',
    category: 'saas',
    keywords: ['ATATT3'],
    pattern: 'ATATT3[A-Za-z0-9_=-]{186}',
    score: 0.97,
  }),
  contextRule({
    id: 'secrets.okta-api-token',
    type: 'OKTA_API_TOKEN',
    description: 'Okta API token `00…` (42 chars) under an `okta` key',
    category: 'saas',
    keywords: ['okta'],
    value: '00[A-Za-z0-9_=-]{40}',
    minEntropy: 4,
    score: 0.88,
  }),
  prefixRule({
    id: 'secrets.linear-api-key',
    type: 'LINEAR_API_KEY',
    description: 'Linear API key `lin_api_…`',
    category: 'saas',
    keywords: ['lin_api_'],
    pattern: `lin_api_[${AN}]{40}`,
    score: 0.97,
  }),
  prefixRule({
    id: 'secrets.notion-token',
    type: 'NOTION_TOKEN',
    description: 'Notion integration token `ntn_…` (and the legacy `secret_` + 43 form)',
    category: 'saas',
    keywords: ['ntn_', 'secret_'],
    pattern: `ntn_[0-9]{11}[${AN}]{35}|secret_[${AN}]{43}`,
    minEntropy: 3.8,
    score: 0.95,
    validate: (token, ctx) => (token.startsWith('ntn_') ? 0.95 : mentions(ctx, 'notion') ? 0.9 : 0.75),
  }),
  prefixRule({
    id: 'secrets.airtable-token',
    type: 'AIRTABLE_TOKEN',
    description: 'Airtable personal access token `pat<14>.<64 hex>`',
    category: 'saas',
    keywords: ['pat'],
    pattern: `pat[${AN}]{14}\\.[${HEX}]{64}`,
    score: 0.95,
  }),
  prefixRule({
    id: 'secrets.dropbox-token',
    type: 'DROPBOX_TOKEN',
    description: 'Dropbox access token `sl.…` (short-lived)',
    category: 'saas',
    keywords: ['sl.'],
    pattern: 'sl\\.(?:u\\.)?[A-Za-z0-9_-]{130,1400}',
    minEntropy: 4,
    score: 0.9,
    validate: (_token, ctx) => (mentions(ctx, 'dropbox') ? 0.93 : 0.85),
  }),
  prefixRule({
    id: 'secrets.figma-token',
    type: 'FIGMA_TOKEN',
    description: 'Figma personal access token `figd_…`',
    category: 'saas',
    keywords: ['figd_'],
    pattern: 'figd_[A-Za-z0-9_-]{38,45}',
    score: 0.95,
  }),
  prefixRule({
    id: 'secrets.postman-api-key',
    type: 'POSTMAN_API_KEY',
    description: 'Postman API key `PMAK-…`',
    category: 'saas',
    keywords: ['PMAK-'],
    pattern: `PMAK-[${HEX}]{24}-[${HEX}]{34}`,
    score: 0.97,
  }),
  prefixRule({
    id: 'secrets.hubspot-token',
    type: 'HUBSPOT_TOKEN',
    description: 'HubSpot private app token `pat-na1-…` / `pat-eu1-…`',
    category: 'saas',
    keywords: ['pat-na1-', 'pat-eu1-'],
    pattern: `pat-(?:na|eu)1-${UUID}`,
    score: 0.95,
  }),
  contextRule({
    id: 'secrets.algolia-api-key',
    type: 'ALGOLIA_API_KEY',
    description: 'Algolia admin / API key (32 hex) under an `algolia` key',
    category: 'saas',
    keywords: ['algolia'],
    value: `[${HEX}]{32}`,
    score: 0.8,
  }),
  prefixRule({
    id: 'secrets.mapbox-secret-token',
    type: 'MAPBOX_TOKEN',
    description: 'Mapbox secret access token `sk.eyJ1Ijoi…`',
    category: 'saas',
    keywords: ['sk.eyJ1Ijoi'],
    pattern: 'sk\\.eyJ1Ijoi[A-Za-z0-9_-]{20,200}\\.[A-Za-z0-9_-]{20,40}',
    score: 0.95,
  }),
  prefixRule({
    id: 'secrets.firebase-cloud-messaging-key',
    type: 'FCM_SERVER_KEY',
    description: 'Firebase Cloud Messaging legacy server key `AAAA…:APA91b…`',
    category: 'saas',
    keywords: [':APA91b'],
    offset: 11,
    pattern: 'AAAA[A-Za-z0-9_-]{7}:APA91b[A-Za-z0-9_-]{134}',
    score: 0.95,
  }),
];

// ---------------------------------------------------------------------------------------------------
// Observability

const OBSERVABILITY: SecretRule[] = [
  contextRule({
    id: 'secrets.datadog-api-key',
    type: 'DATADOG_API_KEY',
    description:
      'Datadog API key (32 hex) or application key (40 hex) under a `datadog` / `dd_api_key` / `dd_app_key` key',
    category: 'observability',
    keywords: ['datadog', 'dd_api_key', 'dd_app_key', 'dd_application_key', 'dd-api-key'],
    value: `[${HEX}]{40}|[${HEX}]{32}`,
    score: 0.88,
  }),
  prefixRule({
    id: 'secrets.new-relic-key',
    type: 'NEW_RELIC_KEY',
    description: 'New Relic user API key `NRAK-`, insert key `NRII-`, browser key `NRJS-`',
    category: 'observability',
    keywords: ['NRAK-', 'NRII-', 'NRJS-'],
    pattern: `NRAK-[A-Z0-9]{27}|NRII-[A-Za-z0-9_-]{32}|NRJS-[${HEX}]{19}`,
    score: 0.93,
    validate: (token) => (token.startsWith('NRJS-') ? 0.7 : 0.93),
  }),
  prefixRule({
    id: 'secrets.sentry-token',
    type: 'SENTRY_TOKEN',
    description: 'Sentry user auth token `sntryu_…` and organisation token `sntrys_eyJ…`',
    category: 'observability',
    keywords: ['sntryu_', 'sntrys_'],
    pattern: `sntryu_[${HEX}]{64}|sntrys_eyJpYXQiO[A-Za-z0-9+/=]{50,400}_[A-Za-z0-9+/]{43}`,
    boundary: 'A-Za-z0-9_+/=\\-',
    score: 0.97,
  }),
  prefixRule({
    id: 'secrets.grafana-token',
    type: 'GRAFANA_TOKEN',
    description: 'Grafana service account token `glsa_…`, Grafana Cloud token `glc_…`, legacy API key `eyJrIjoi…`',
    category: 'observability',
    keywords: ['glsa_', 'glc_', 'eyJrIjoi'],
    pattern: `glsa_[${AN}]{32}_[A-Fa-f0-9]{8}|glc_[A-Za-z0-9+/]{32,400}={0,2}|eyJrIjoi[${AN}]{70,400}={0,2}`,
    boundary: 'A-Za-z0-9_+/=\\-',
    score: 0.95,
  }),
  prefixRule({
    id: 'secrets.dynatrace-token',
    type: 'DYNATRACE_TOKEN',
    description: 'Dynatrace API token `dt0c01.…`',
    category: 'observability',
    keywords: ['dt0c01.'],
    pattern: `dt0c01\\.[${AN}]{24}\\.[${AN}]{64}`,
    score: 0.97,
  }),
];

// ---------------------------------------------------------------------------------------------------
// Infrastructure, hosting, secrets managers, crypto

const INFRA: SecretRule[] = [
  prefixRule({
    id: 'secrets.vault-token',
    type: 'HASHICORP_VAULT_TOKEN',
    description: 'HashiCorp Vault service `hvs.` / batch `hvb.` / recovery `hvr.` token',
    category: 'infra',
    keywords: ['hvs.', 'hvb.', 'hvr.'],
    pattern: 'hv[sr]\\.[A-Za-z0-9_-]{90,120}|hvb\\.[A-Za-z0-9_-]{138,300}',
    minEntropy: 4,
    score: 0.97,
  }),
  prefixRule({
    id: 'secrets.terraform-cloud-token',
    type: 'TERRAFORM_CLOUD_TOKEN',
    description: 'Terraform Cloud / Enterprise API token `<14>.atlasv1.<60–70>`',
    category: 'infra',
    keywords: ['.atlasv1.'],
    offset: 14,
    pattern: '[a-zA-Z0-9]{14}\\.atlasv1\\.[A-Za-z0-9_=-]{60,70}',
    score: 0.97,
  }),
  prefixRule({
    id: 'secrets.pulumi-token',
    type: 'PULUMI_TOKEN',
    description: 'Pulumi access token `pul-…`',
    category: 'infra',
    keywords: ['pul-'],
    pattern: `pul-[${HEX}]{40}`,
    score: 0.95,
  }),
  prefixRule({
    id: 'secrets.doppler-token',
    type: 'DOPPLER_TOKEN',
    description: 'Doppler personal / service / CLI / service-account / SCIM / audit token `dp.pt.…` etc.',
    category: 'infra',
    keywords: ['dp.pt.', 'dp.st.', 'dp.ct.', 'dp.sa.', 'dp.scim.', 'dp.audit.'],
    pattern: `dp\\.(?:pt|st|ct|sa|scim|audit)\\.[${AN}]{40,44}`,
    boundary: 'A-Za-z0-9_.\\-',
    score: 0.97,
  }),
  prefixRule({
    id: 'secrets.databricks-token',
    type: 'DATABRICKS_TOKEN',
    description: 'Databricks personal access token `dapi…`',
    category: 'infra',
    keywords: ['dapi'],
    pattern: `dapi[${HEX}]{32}(?:-[0-9])?`,
    score: 0.93,
  }),
  prefixRule({
    id: 'secrets.fly-io-token',
    type: 'FLY_IO_TOKEN',
    description: 'Fly.io access token `fo1_…`',
    category: 'infra',
    keywords: ['fo1_'],
    pattern: 'fo1_[A-Za-z0-9_-]{43}',
    score: 0.95,
  }),
  prefixRule({
    id: 'secrets.netlify-token',
    type: 'NETLIFY_TOKEN',
    description: 'Netlify personal access token `nfp_…`',
    category: 'infra',
    keywords: ['nfp_'],
    pattern: `nfp_[${AN}]{36}`,
    score: 0.95,
  }),
  contextRule({
    id: 'secrets.netlify-token-legacy',
    type: 'NETLIFY_TOKEN',
    description: 'Netlify access token (40–46 chars) under a `netlify` key',
    category: 'infra',
    keywords: ['netlify'],
    value: '[A-Za-z0-9_-]{40,46}',
    minEntropy: 3.8,
    score: 0.85,
  }),
  contextRule({
    id: 'secrets.vercel-token',
    type: 'VERCEL_TOKEN',
    description: 'Vercel access token (24 chars) under a `vercel` key',
    category: 'infra',
    keywords: ['vercel'],
    value: `[${AN}]{24}`,
    minEntropy: 3.8,
    score: 0.85,
  }),
  prefixRule({
    id: 'secrets.supabase-token',
    type: 'SUPABASE_TOKEN',
    description: 'Supabase personal access token `sbp_…`',
    category: 'infra',
    keywords: ['sbp_'],
    pattern: `sbp_[${HEX}]{40}`,
    score: 0.95,
  }),
  prefixRule({
    id: 'secrets.planetscale-token',
    type: 'PLANETSCALE_TOKEN',
    description: 'PlanetScale API token `pscale_tkn_`, OAuth token `pscale_oauth_`, password `pscale_pw_`',
    category: 'infra',
    keywords: ['pscale_tkn_', 'pscale_oauth_', 'pscale_pw_'],
    pattern: 'pscale_(?:tkn|oauth|pw)_[A-Za-z0-9_=.-]{32,64}',
    boundary: 'A-Za-z0-9_=.\\-',
    score: 0.95,
  }),
  prefixRule({
    id: 'secrets.openshift-token',
    type: 'OPENSHIFT_TOKEN',
    description: 'OpenShift user / service-account OAuth token `sha256~…`',
    category: 'infra',
    keywords: ['sha256~'],
    pattern: 'sha256~[A-Za-z0-9_-]{43}',
    minEntropy: 3.5,
    score: 0.93,
  }),
  prefixRule({
    id: 'secrets.1password-service-token',
    type: 'ONEPASSWORD_TOKEN',
    description: '1Password service account token `ops_eyJ…`',
    category: 'infra',
    keywords: ['ops_eyJ'],
    pattern: 'ops_eyJ[A-Za-z0-9+/]{250,4000}={0,3}',
    boundary: 'A-Za-z0-9_+/=\\-',
    score: 0.97,
  }),
  prefixRule({
    id: 'secrets.age-secret-key',
    type: 'AGE_SECRET_KEY',
    description: 'age encryption secret key `AGE-SECRET-KEY-1…` (bech32)',
    category: 'crypto',
    keywords: ['AGE-SECRET-KEY-1'],
    pattern: 'AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}',
    score: 0.99,
  }),
  contextRule({
    id: 'secrets.ngrok-authtoken',
    type: 'NGROK_AUTHTOKEN',
    description: 'ngrok authtoken under an `ngrok` key',
    category: 'infra',
    keywords: ['ngrok'],
    value: `[${AN}]{25,27}_[${AN}]{20,22}`,
    score: 0.85,
  }),
];

/** Rules tied to one vendor's token format (everything but the structural and generic rules). */
export const PROVIDER_RULES: readonly SecretRule[] = [
  ...CLOUD,
  ...VCS,
  ...CI,
  ...PAYMENTS,
  ...MESSAGING,
  ...AI,
  ...REGISTRIES,
  ...SAAS,
  ...OBSERVABILITY,
  ...INFRA,
];

/** Every rule, provider-specific first; the generic rule also dispatches keyword-context rules. */
export const SECRET_RULES: readonly SecretRule[] = [
  ...PROVIDER_RULES,
  ...STRUCTURAL_RULES,
  createGenericSecretRule(PROVIDER_RULES),
];
