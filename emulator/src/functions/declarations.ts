import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/** Where the project declares its functions, relative to the project root. */
export const FUNCTION_DECLARATIONS = path.join('cloudbase', 'functions.json');
/** The catalogue of every variable a function may receive. */
export const ENV_CATALOGUE = path.join('cloudbase', 'env-variables.json');
/** Git-ignored local overrides: `{ "<function>": { "NAME": "value" } }`, names limited to the declared ones. */
export const LOCAL_ENV_FILE = path.join('cloudbase', 'functions.local.json');

/** The longest timeout the CloudBase CLI accepts in cloudbaserc.json, in seconds. */
export const CLI_MAX_TIMEOUT_SECONDS = 60;
/** Memory sizes the CloudBase CLI accepts, in MB. */
export const MEMORY_SIZES = [128, 256, 512, 1024, 2048] as const;

const variableSchema = z.strictObject({
  secret: z.boolean(),
  bytes: z.number().int().min(0),
  rotationBytes: z.number().int().min(0).optional(),
  about: z.string().min(1),
});

const catalogueSchema = z.object({ variables: z.record(z.string(), variableSchema) });

const functionSchema = z.strictObject({
  timeout: z.number().int().min(1).max(CLI_MAX_TIMEOUT_SECONDS),
  memorySize: z.union(MEMORY_SIZES.map((size) => z.literal(size))),
  installDependency: z.boolean(),
  env: z.array(z.string().regex(/^[A-Z][A-Z0-9_]*$/)),
  localEnv: z.record(z.string(), z.string()),
});

const declarationsSchema = z.object({ functions: z.record(z.string(), functionSchema) });

const localFileSchema = z.record(z.string(), z.record(z.string(), z.string()));

/** One variable of the catalogue. */
export type EnvVariable = z.infer<typeof variableSchema>;
/** One function's deployment declaration. */
export type FunctionDeclaration = z.infer<typeof functionSchema>;

/** The project's function declarations with the variable catalogue, cross-checked. */
export interface Declarations {
  functions: Record<string, FunctionDeclaration>;
  variables: Record<string, EnvVariable>;
}

/** A declaration that cannot be used; the message names the file and the faulty entry. */
export class DeclarationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeclarationError';
  }
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
  } catch (error) {
    throw new DeclarationError(`${file}: ${(error as Error).message}`);
  }
}

function parse<T>(schema: z.ZodType<T>, raw: unknown, file: string): T {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
  throw new DeclarationError(`${file}: ${issues.join('; ')}`);
}

/** Reads and cross-checks the declarations; undefined when the project declares none (test layouts). */
export function readDeclarations(projectRoot: string): Declarations | undefined {
  const functionsFile = path.join(projectRoot, FUNCTION_DECLARATIONS);
  if (!fs.existsSync(functionsFile)) return undefined;
  const { functions } = parse(declarationsSchema, readJson(functionsFile), functionsFile);
  const catalogueFile = path.join(projectRoot, ENV_CATALOGUE);
  const { variables } = parse(catalogueSchema, readJson(catalogueFile), catalogueFile);
  for (const [name, fn] of Object.entries(functions)) {
    for (const variable of [...fn.env, ...Object.keys(fn.localEnv)]) {
      if (!variables[variable])
        throw new DeclarationError(
          `${functionsFile}: ${name} declares ${variable}, missing from ${ENV_CATALOGUE}`,
        );
      if (!fn.env.includes(variable))
        throw new DeclarationError(
          `${functionsFile}: ${name}.localEnv sets ${variable}, not in its env list`,
        );
    }
  }
  return { functions, variables };
}

/**
 * The values the local backend gives a declared function: its `localEnv`, then the git-ignored
 * local file's entry for it. A local name the function does not declare is refused with a clear message.
 */
export function localEnvironment(
  projectRoot: string,
  name: string,
  declaration: FunctionDeclaration,
): Record<string, string> {
  const file = path.join(projectRoot, LOCAL_ENV_FILE);
  const local = fs.existsSync(file) ? parse(localFileSchema, readJson(file), file) : {};
  const overrides = local[name] ?? {};
  for (const variable of Object.keys(overrides))
    if (!declaration.env.includes(variable))
      throw new DeclarationError(
        `${LOCAL_ENV_FILE}: ${name} does not declare ${variable} (add it to ${FUNCTION_DECLARATIONS} first)`,
      );
  return { ...declaration.localEnv, ...overrides };
}
