/**
 * The definition registry: which MQL definition is live and which candidates run in shadow
 * mode, kept in Redis so every worker and API process agrees. Candidates are uploaded as
 * YAML and validated like the file; a version label names one set of rules forever (a
 * different upload under a used label is refused), so every stored result stays comparable.
 * Going live is one recorded action (who, when, previous version). The file
 * (`mappings/mql-definition.yaml`) is the live version until the first go-live.
 *
 * Redis (`<prefix>:defs:*`): `text` hash version -> YAML as uploaded; `meta` hash version ->
 * JSON (checksum, who, when); `live` the live version; `shadow` hash version -> JSON window;
 * `log` list of JSON events, newest first; `rev` a counter bumped by every change. Workers ask
 * `live()` per job: one GET of `rev`, and the compiled definitions are reused until it moves.
 */
import { createHash } from 'node:crypto';
import { stringify } from 'yaml';
import type { CompiledDefinition } from '../src/domain/definition/compile';
import { parseDefinition } from '../src/domain/definition/parse';
import type { DefinitionFile } from '../src/domain/definition/schema';
import { DefinitionError } from '../src/domain/errors';
import type { DefinitionSource } from './runtime';
import type { Store } from './store';

export interface StoredDefinition {
  version: string;
  checksum: string;
  uploadedAt: string;
  uploadedBy: string;
}

export interface ShadowWindow {
  from: string;
  until: string | null;
  by: string;
  at: string;
}

export interface DefinitionEvent {
  at: string;
  by: string;
  action: 'upload' | 'shadow-on' | 'shadow-off' | 'go-live';
  version: string;
  previous?: string;
  from?: string;
  until?: string | null;
}

export interface DefinitionListing extends StoredDefinition {
  live: boolean;
  shadow: ShadowWindow | null;
}

/** A refused admin action, with the HTTP status that says why. */
export class RegistryError extends Error {
  constructor(
    readonly status: 400 | 404 | 409,
    message: string,
  ) {
    super(message);
    this.name = 'RegistryError';
  }
}

const LOG_KEPT = 1000;

/** Checksum of the rules (not of the text: comments and layout do not change a definition). */
export const checksumOf = (source: DefinitionFile): string => createHash('sha256').update(JSON.stringify(source)).digest('hex').slice(0, 16);

interface Cache {
  rev: string | null;
  live: CompiledDefinition;
  shadows: Array<{ window: ShadowWindow; definition: CompiledDefinition }>;
}

export class DefinitionRegistry implements DefinitionSource {
  private cache: Cache | undefined;
  private readonly compiled = new Map<string, CompiledDefinition>();

  constructor(
    private readonly store: Store,
    private readonly bootstrap: CompiledDefinition,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.compiled.set(`${bootstrap.version}:${checksumOf(bootstrap.source)}`, bootstrap);
  }

  private key(name: string): string {
    return this.store.key('defs', name);
  }

  async live(): Promise<CompiledDefinition> {
    return (await this.state()).live;
  }

  /** Candidates whose shadow window contains now. */
  async shadows(): Promise<CompiledDefinition[]> {
    const now = this.now().toISOString();
    return (await this.state()).shadows.filter(({ window }) => window.from <= now && (window.until === null || now < window.until)).map((s) => s.definition);
  }

  private async state(): Promise<Cache> {
    const rev = await this.store.redis.get(this.key('rev'));
    if (this.cache && this.cache.rev === rev) return this.cache;
    const [liveVersion, shadowHash] = await Promise.all([this.store.redis.get(this.key('live')), this.store.redis.hgetall(this.key('shadow'))]);
    const shadows = await Promise.all(Object.entries(shadowHash).map(async ([version, raw]) => ({ window: JSON.parse(raw) as ShadowWindow, definition: await this.definition(version) })));
    this.cache = { rev, live: liveVersion ? await this.definition(liveVersion) : this.bootstrap, shadows };
    return this.cache;
  }

  /** A known version, compiled once per process. */
  async definition(version: string): Promise<CompiledDefinition> {
    const [text, meta] = await Promise.all([this.store.redis.hget(this.key('text'), version), this.store.redis.hget(this.key('meta'), version)]);
    if (text === null || meta === null) {
      if (version === this.bootstrap.version) return this.bootstrap;
      throw new RegistryError(404, `no definition version "${version}"`);
    }
    const cacheKey = `${version}:${(JSON.parse(meta) as StoredDefinition).checksum}`;
    let compiled = this.compiled.get(cacheKey);
    if (!compiled) this.compiled.set(cacheKey, (compiled = parseDefinition(text, `definition ${version}`)));
    return compiled;
  }

  /** The bootstrap file's version, stored like an upload the first time an admin acts. */
  private async registerBootstrap(): Promise<void> {
    const meta: StoredDefinition = { version: this.bootstrap.version, checksum: checksumOf(this.bootstrap.source), uploadedAt: this.now().toISOString(), uploadedBy: 'mappings file' };
    await this.store.redis
      .multi()
      .hsetnx(this.key('text'), meta.version, stringify(this.bootstrap.source))
      .hsetnx(this.key('meta'), meta.version, JSON.stringify(meta))
      .exec();
  }

  /** Validates and stores a candidate. The same rules again under their label is a no-op. */
  async upload(text: string, by: string, name = 'upload'): Promise<{ definition: StoredDefinition; created: boolean; warnings: string[] }> {
    await this.registerBootstrap();
    let compiled: CompiledDefinition;
    try {
      compiled = parseDefinition(text, name);
    } catch (error) {
      if (error instanceof DefinitionError) throw new RegistryError(400, error.message);
      throw error;
    }
    const meta: StoredDefinition = { version: compiled.version, checksum: checksumOf(compiled.source), uploadedAt: this.now().toISOString(), uploadedBy: by };
    const existing = await this.store.redis.hget(this.key('meta'), meta.version);
    if (existing) {
      const stored = JSON.parse(existing) as StoredDefinition;
      if (stored.checksum !== meta.checksum) {
        throw new RegistryError(409, `version "${meta.version}" already exists with different rules; give the changed rules a new version label`);
      }
      return { definition: stored, created: false, warnings: this.warnings(compiled) };
    }
    const event: DefinitionEvent = { at: meta.uploadedAt, by, action: 'upload', version: meta.version };
    const [[, set] = []] = (await this.store.redis
      .multi()
      .hsetnx(this.key('meta'), meta.version, JSON.stringify(meta))
      .hsetnx(this.key('text'), meta.version, text)
      .lpush(this.key('log'), JSON.stringify(event))
      .ltrim(this.key('log'), 0, LOG_KEPT - 1)
      .incr(this.key('rev'))
      .exec()) ?? [];
    if (set === 0) throw new RegistryError(409, `version "${meta.version}" was uploaded at the same moment by someone else; upload again to compare`);
    this.compiled.set(`${meta.version}:${meta.checksum}`, compiled);
    return { definition: meta, created: true, warnings: this.warnings(compiled) };
  }

  /**
   * What would break if this definition went live (`blocking`): HubSpot's enumeration options
   * and Salesforce's restricted picklists were set up from the file's tiers and service lines.
   * `notes`: what works, but not fully (the activity cache keeps the file's look-back).
   */
  compatibility(def: CompiledDefinition): { blocking: string[]; notes: string[] } {
    const blocking: string[] = [];
    const notes: string[] = [];
    const tiers = new Set(this.bootstrap.tiers.map((t) => t.name));
    const lines = new Set(this.bootstrap.lines.keys());
    const newTiers = def.tiers.map((t) => t.name).filter((t) => !tiers.has(t));
    const newLines = [...def.lines.keys()].filter((l) => !lines.has(l));
    if (newTiers.length) blocking.push(`tiers ${newTiers.join(', ')} are not options of lsync_tier / MQL_Tier__c (set up from ${this.bootstrap.version}): add them (lifecycle-sync setup --apply with this file as MQL_DEFINITION_PATH) before going live`);
    if (newLines.length) blocking.push(`service lines ${newLines.join(', ')} are not options of lsync_service_line / MQL_Service_Line__c: add them before going live`);
    if (def.lookbackDays > this.bootstrap.lookbackDays) notes.push(`look-back ${def.lookbackDays} days is longer than the activity cache keeps (${this.bootstrap.lookbackDays} + 7 days): older feed activities are not there to score`);
    return { blocking, notes };
  }

  private warnings(def: CompiledDefinition): string[] {
    const { blocking, notes } = this.compatibility(def);
    return [...blocking, ...notes];
  }

  async get(version: string): Promise<{ definition: StoredDefinition; text: string; source: DefinitionFile } | null> {
    await this.registerBootstrap();
    const [text, meta] = await Promise.all([this.store.redis.hget(this.key('text'), version), this.store.redis.hget(this.key('meta'), version)]);
    if (text === null || meta === null) return null;
    return { definition: JSON.parse(meta) as StoredDefinition, text, source: (await this.definition(version)).source };
  }

  async liveVersion(): Promise<string> {
    return (await this.store.redis.get(this.key('live'))) ?? this.bootstrap.version;
  }

  async list(): Promise<DefinitionListing[]> {
    await this.registerBootstrap();
    const [metas, shadows, live] = await Promise.all([this.store.redis.hvals(this.key('meta')), this.store.redis.hgetall(this.key('shadow')), this.liveVersion()]);
    return metas
      .map((raw) => JSON.parse(raw) as StoredDefinition)
      .map((d) => ({ ...d, live: d.version === live, shadow: shadows[d.version] ? (JSON.parse(shadows[d.version]!) as ShadowWindow) : null }))
      .sort((a, b) => (a.uploadedAt < b.uploadedAt ? 1 : -1));
  }

  /** Runs a candidate alongside the live one from `from` (default now) until `until` (or until turned off). */
  async setShadow(version: string, by: string, window: { from?: string; until?: string | null } = {}): Promise<ShadowWindow> {
    await this.definition(version);
    if (version === (await this.liveVersion())) throw new RegistryError(409, `"${version}" is the live version; only candidates run in shadow`);
    const at = this.now().toISOString();
    const shadow: ShadowWindow = { from: window.from ?? at, until: window.until ?? null, by, at };
    if (shadow.until !== null && shadow.until <= shadow.from) throw new RegistryError(400, 'the shadow period must end after it starts');
    await this.change({ at, by, action: 'shadow-on', version, from: shadow.from, until: shadow.until }, (tx) => tx.hset(this.key('shadow'), version, JSON.stringify(shadow)));
    return shadow;
  }

  async clearShadow(version: string, by: string): Promise<boolean> {
    if (!(await this.store.redis.hexists(this.key('shadow'), version))) return false;
    await this.change({ at: this.now().toISOString(), by, action: 'shadow-off', version }, (tx) => tx.hdel(this.key('shadow'), version));
    return true;
  }

  /**
   * Makes a version live for every worker from their next job. Refused when HubSpot or
   * Salesforce could not store its tiers or service lines, unless forced.
   */
  async goLive(version: string, by: string, options: { force?: boolean } = {}): Promise<DefinitionEvent & { warnings: string[] }> {
    await this.registerBootstrap();
    const def = await this.definition(version);
    const previous = await this.liveVersion();
    if (previous === version) throw new RegistryError(409, `"${version}" is already live`);
    const { blocking } = this.compatibility(def);
    if (blocking.length && !options.force) throw new RegistryError(409, `not made live: ${blocking.join('; ')} (force to override)`);
    const event: DefinitionEvent = { at: this.now().toISOString(), by, action: 'go-live', version, previous };
    await this.change(event, (tx) => tx.set(this.key('live'), version).hdel(this.key('shadow'), version));
    await this.store.audit([{ at: event.at, trigger: 'manual', system: 'service', action: 'definition go-live', version, previous, by }]);
    return { ...event, warnings: this.warnings(def) };
  }

  async events(limit = 50): Promise<DefinitionEvent[]> {
    return (await this.store.redis.lrange(this.key('log'), 0, limit - 1)).map((raw) => JSON.parse(raw) as DefinitionEvent);
  }

  private async change(event: DefinitionEvent, apply: (tx: ReturnType<Store['redis']['multi']>) => unknown): Promise<void> {
    const tx = this.store.redis.multi();
    apply(tx);
    await tx.lpush(this.key('log'), JSON.stringify(event)).ltrim(this.key('log'), 0, LOG_KEPT - 1).incr(this.key('rev')).exec();
  }
}
