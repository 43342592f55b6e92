import * as cloud from 'wx-server-sdk';
import type { DatabaseService } from '../../../emulator/src/database';
import type { EmulatorConfig } from '../../../emulator/src/config';
import { startTestEmulator, useEmulatorEnv, type TestEmulator } from '../../helpers/emulator';

/** A document as the SDK hands it back. */
export interface Row {
  _id: string;
  [field: string]: unknown;
}

/** The SDK query builder, as these tests use it (its own typings union in callback-style `void`). */
export interface SdkQuery {
  where(query: object): SdkQuery;
  orderBy(field: string, direction: 'asc' | 'desc'): SdkQuery;
  skip(n: number): SdkQuery;
  limit(n: number): SdkQuery;
  field(projection: Record<string, boolean>): SdkQuery;
  get(): Promise<{ data: Row[] }>;
  count(): Promise<{ total: number }>;
  update(arg: { data: object }): Promise<{ stats: { updated: number } }>;
  remove(): Promise<{ stats: { removed: number } }>;
}

/** `collection(name).doc(id)`. */
export interface SdkDoc {
  field(projection: Record<string, boolean>): SdkDoc;
  get(): Promise<{ data: Row }>;
  update(arg: { data: object }): Promise<{ stats: { updated: number } }>;
  set(arg: { data: object }): Promise<{ _id: string; stats: { updated: number; created: number } }>;
  remove(): Promise<{ stats: { removed: number } }>;
}

/** An aggregation pipeline builder. */
export interface SdkAggregate {
  match(stage: object): SdkAggregate;
  group(stage: object): SdkAggregate;
  sort(stage: object): SdkAggregate;
  project(stage: object): SdkAggregate;
  end(): Promise<{ list: Row[] }>;
}

/** `db.collection(name)`. */
export interface SdkCollection extends SdkQuery {
  doc(id: string): SdkDoc;
  add(arg: { data: object }): Promise<{ _id: string; _ids?: string[] }>;
  aggregate(): SdkAggregate;
}

/** What a transaction offers inside `runTransaction`. */
export interface SdkTransaction {
  collection(name: string): {
    doc(id: string): {
      get(): Promise<{ data: Row | null }>;
      update(arg: { data: object }): Promise<{ stats: { updated: number } }>;
      set(arg: { data: object }): Promise<unknown>;
      remove(): Promise<unknown>;
    };
    add(arg: { data: object }): Promise<{ _id: string }>;
    where(query: object): { get(): Promise<unknown> };
  };
  rollback(reason?: unknown): Promise<unknown>;
  commit(): Promise<unknown>;
}

/** `cloud.database()`, narrowed to promise-returning calls. */
export interface SdkDatabase {
  collection(name: string): SdkCollection;
  command: ReturnType<typeof cloud.database>['command'];
  serverDate(options?: { offset: number }): unknown;
  RegExp(options: { regexp: string; options?: string }): unknown;
  createCollection(name: string): Promise<unknown>;
  runTransaction<T>(callback: (transaction: SdkTransaction) => Promise<T>, times?: number): Promise<T>;
  startTransaction(): Promise<SdkTransaction>;
}

/** An emulator plus the real wx-server-sdk pointed at it. */
export interface DatabaseFixture {
  emu: TestEmulator;
  db: SdkDatabase;
  service: DatabaseService;
}

/** Starts an emulator and initialises the real SDK against it. */
export async function startDatabaseFixture(
  overrides: Partial<EmulatorConfig> = {},
): Promise<DatabaseFixture> {
  const emu = await startTestEmulator(overrides);
  useEmulatorEnv(emu);
  cloud.init({ env: emu.hub.config.envId });
  return {
    emu,
    db: cloud.database() as unknown as SdkDatabase,
    service: emu.hub.service<DatabaseService>('database'),
  };
}

/** The error the SDK rejected with (fails the test when it resolved). */
export async function sdkError(
  promise: Promise<unknown>,
): Promise<{ errCode?: number; errMsg?: string; code?: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { errCode?: number; errMsg?: string; code?: string; message: string };
  }
  throw new Error('expected the SDK call to fail');
}
