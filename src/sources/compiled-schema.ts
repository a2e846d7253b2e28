import type * as v from 'valibot';

// A valibot schema turned into one plain function, for the lines claude prints by the hundred
// thousand: valibot walks its schema objects for every value it checks (a call, a result object
// and, on a miss, an issue with its message per node), which made parsing stream-json about a
// third slower than reading the same fields by hand. The generated code does what valibot does
// for the kinds of schema used at the edges, and nothing more; any other kind is refused when the
// schema is compiled, which the tests do for every line schema. test/unit/sources/compiled-schema.test.ts
// holds the code to `v.safeParse` on recorded and mangled lines.

/** What a compiled schema returns for a value that fails it. */
export const INVALID: unique symbol = Symbol('invalid');

export type CompiledSchema<TSchema extends v.GenericSchema> = (value: unknown) => v.InferOutput<TSchema> | typeof INVALID;

/** The fields of valibot's schema objects read here (its public `kind`, `type` and options). */
interface SchemaNode {
  kind: string;
  type: string;
  entries?: Record<string, SchemaNode>;
  item?: SchemaNode;
  key?: SchemaNode | string;
  value?: SchemaNode;
  options?: SchemaNode[];
  wrapped?: SchemaNode;
  pipe?: SchemaNode[];
  literal?: unknown;
  default?: unknown;
  fallback?: unknown;
  check?: (value: unknown) => boolean;
  operation?: (value: unknown) => unknown;
}

class Generator {
  readonly functions: string[] = [];
  readonly constants: unknown[] = [];

  /** A constant of the schema: a primitive written into the code, anything else a parameter of it. */
  constant(value: unknown): string {
    if (value === undefined) return 'undefined';
    if (value === null || typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value)))
      return JSON.stringify(value);
    this.constants.push(value);
    return `c${this.constants.length - 1}`;
  }

  /** A default or fallback: valibot calls it when it is a function. */
  valueOf(value: unknown): string {
    const ref = this.constant(value);
    return typeof value === 'function' ? `${ref}()` : ref;
  }

  private readonly emitted = new Map<SchemaNode, string>();

  /** Emits the function checking `schema` (once for a schema used in several places); returns its name. */
  emit(schema: SchemaNode): string {
    const known = this.emitted.get(schema);
    if (known !== undefined) return known;
    const index = this.functions.length;
    this.emitted.set(schema, `f${index}`);
    this.functions.push('');
    this.functions[index] = `function f${index}(x) {\n${this.body(schema)}\n}`;
    return `f${index}`;
  }

  /**
   * An expression checking the variable `a`: the value, or INVALID. The simplest schemas are
   * written in place, the others called, so that the engine has few calls to inline.
   */
  check(schema: SchemaNode, a: string): string {
    if (!ownsFallback(schema) && schema.pipe === undefined) {
      switch (schema.type) {
        case 'string':
        case 'number':
        case 'boolean':
          return `(typeof ${a} === '${schema.type}' ? ${a} : INVALID)`;
        case 'unknown':
          return a;
        case 'literal':
          return `(${a} === ${this.constant(schema.literal)} ? ${a} : INVALID)`;
        case 'custom':
          return `(${this.constant(schema.check)}(${a}) ? ${a} : INVALID)`;
        case 'optional':
        case 'nullish': {
          // A default is checked as the value would be; a primitive one is written in place.
          const missing = schema.type === 'optional' ? `${a} === undefined` : `${a} === undefined || ${a} === null`;
          if (schema.default === undefined) return `(${missing} ? ${a} : ${this.check(need(schema.wrapped), a)})`;
          if (isPrimitive(schema.default)) {
            const value = this.constant(schema.default);
            return `(${missing} ? ${this.check(need(schema.wrapped), value)} : ${this.check(need(schema.wrapped), a)})`;
          }
          break;
        }
      }
    }
    if (
      !ownsFallback(schema) &&
      schema.pipe?.length === 2 &&
      schema.pipe[1]?.type === 'finite' &&
      schema.pipe[0]?.type === 'number' &&
      schema.pipe[0].pipe === undefined
    ) {
      return `(typeof ${a} === 'number' && Number.isFinite(${a}) ? ${a} : INVALID)`;
    }
    return `${this.emit(schema)}(${a})`;
  }

  private body(schema: SchemaNode): string {
    // v.fallback and v.pipe spread the schema they wrap: which is outside is told by the pipe's
    // first item, the schema the pipe wraps.
    const pipeOutside = schema.pipe !== undefined && (!ownsFallback(schema) || (ownsFallback(schema.pipe[0]) && schema.pipe[0]?.fallback === schema.fallback));
    if (ownsFallback(schema) && !pipeOutside) {
      return `const r = ${this.check({ ...schema, fallback: NO_FALLBACK }, 'x')}; return r === INVALID ? ${this.valueOf(schema.fallback)} : r;`;
    }
    if (schema.pipe !== undefined) return this.pipe(schema.pipe);
    switch (schema.type) {
      case 'string':
      case 'number':
      case 'boolean':
      case 'unknown':
      case 'literal':
      case 'custom':
        return `return ${this.check(schema, 'x')};`;
      case 'optional':
        return `if (x === undefined) { x = ${this.valueOf(schema.default)}; if (x === undefined) return x; } return ${this.check(need(schema.wrapped), 'x')};`;
      case 'nullish':
        return `if (x === undefined || x === null) { const d = ${this.valueOf(schema.default)}; if (d === undefined) return x; x = d; if (x === null) return x; } return ${this.check(need(schema.wrapped), 'x')};`;
      case 'array':
        return `if (!Array.isArray(x)) return INVALID; const o = []; for (let i = 0; i < x.length; i++) { const e = x[i]; const r = ${this.check(need(schema.item), 'e')}; if (r === INVALID) return INVALID; o.push(r); } return o;`;
      case 'record':
        return `if (!x || typeof x !== 'object') return INVALID; const o = {}; for (const key in x) { if (!Object.prototype.hasOwnProperty.call(x, key) || key === '__proto__' || key === 'prototype' || key === 'constructor') continue; if (${this.check(need(schema.key) as SchemaNode, 'key')} === INVALID) return INVALID; const e = x[key]; const r = ${this.check(need(schema.value), 'e')}; if (r === INVALID) return INVALID; o[key] = r; } return o;`;
      case 'union':
        return `${need(schema.options)
          .map((option) => `{ const r = ${this.check(option, 'x')}; if (r !== INVALID) return r; }`)
          .join(' ')} return INVALID;`;
      case 'object':
        return this.object(need(schema.entries));
      case 'variant':
        return this.variant(need(schema.key) as string, need(schema.options));
      default:
        throw new Error(`compiled-schema: no code for a ${schema.kind} of type ${schema.type}`);
    }
  }

  private object(entries: Record<string, SchemaNode>): string {
    const lines = ["if (!x || typeof x !== 'object') return INVALID;", 'const o = {}; let v; let r;'];
    for (const [key, entry] of Object.entries(entries)) {
      const k = JSON.stringify(key);
      const optional = entry.type === 'optional' || entry.type === 'nullish' || entry.type === 'exact_optional';
      // As valibot's object: a missing key takes the entry's default, else its fallback, else is left out if optional.
      let missing: string;
      if (optional && entry.default !== undefined) missing = `r = ${this.check(entry, 'undefined')}; if (r === INVALID) return INVALID; o[${k}] = r;`;
      else if (hasFallback(entry)) missing = `o[${k}] = ${this.valueOf(entry.fallback)};`;
      else if (optional) missing = '';
      else missing = 'return INVALID;';
      // `in` only when the value reads as undefined: a key set to undefined is present.
      lines.push(
        `v = x[${k}]; if (v !== undefined || ${k} in x) { r = ${this.check(entry, 'v')}; if (r === INVALID) return INVALID; o[${k}] = r; } else { ${missing} }`,
      );
    }
    lines.push('return o;');
    return lines.join('\n');
  }

  /** The first option whose discriminator matches and which passes (options that are variants themselves are not supported). */
  private variant(key: string, options: SchemaNode[]): string {
    const k = JSON.stringify(key);
    const lines = ["if (!x || typeof x !== 'object') return INVALID;", `const d = x[${k}];`];
    for (const option of options) {
      const discriminator = need(option.entries)[key];
      if (option.type === 'variant' || discriminator === undefined) throw new Error('compiled-schema: no code for this variant');
      lines.push(`if (${this.check(discriminator, 'd')} !== INVALID) { const r = ${this.check(option, 'x')}; if (r !== INVALID) return r; }`);
    }
    lines.push('return INVALID;');
    return lines.join('\n');
  }

  private pipe(items: SchemaNode[]): string {
    const [first, ...actions] = items;
    const lines = [`let r = ${this.check(need(first), 'x')}; if (r === INVALID) return INVALID;`];
    for (const action of actions) {
      if (action.type === 'transform') lines.push(`r = ${this.constant(action.operation)}(r);`);
      else if (action.type === 'finite') lines.push('if (!Number.isFinite(r)) return INVALID;');
      else throw new Error(`compiled-schema: no code for a pipe's ${action.type}`);
    }
    lines.push('return r;');
    return lines.join('\n');
  }
}

/** A value written into the code as it is. */
function isPrimitive(value: unknown): value is string | boolean | number | null {
  return value === null || typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
}

/** Marks the copy of a fallback schema that is compiled without its fallback. */
const NO_FALLBACK = Symbol('no fallback');

function ownsFallback(schema: SchemaNode | undefined): boolean {
  return schema !== undefined && 'fallback' in schema && schema.fallback !== NO_FALLBACK;
}

/** As valibot's object tells one: a fallback that is not undefined. */
function hasFallback(schema: SchemaNode): boolean {
  return ownsFallback(schema) && schema.fallback !== undefined;
}

function need<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('compiled-schema: a schema lacks a part its kind has');
  return value;
}

export function compileSchema<TSchema extends v.GenericSchema>(schema: TSchema): CompiledSchema<TSchema> {
  const generator = new Generator();
  const root = generator.emit(schema as unknown as SchemaNode);
  const source = `${generator.functions.join('\n')}\nreturn ${root};`;
  // The source is built from the schema's shape alone: keys and primitives through JSON.stringify, other values as parameters.
  const parameters = generator.constants.map((_, i) => `c${i}`);
  const build = new Function('INVALID', ...parameters, source) as (invalid: typeof INVALID, ...constants: unknown[]) => CompiledSchema<TSchema>;
  return build(INVALID, ...generator.constants);
}
