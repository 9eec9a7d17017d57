/**
 * Terraform addresses as Terraform writes them, plus the attribute path after them:
 *
 *   aws_lb_target_group.nodejs.arn              a managed resource's attribute
 *   data.aws_vpc.main.id                        a data source's
 *   module.net.aws_subnet.private[0].id         inside a module; `[0]` is a count index
 *   aws_subnet.this["a"].id                     a for_each key
 *   module.a["x"].module.b.aws_sg.web.id        nested (and indexed) module instances
 *   aws_vpc.main.tags.Name, x.y.list[2].z       attributes, map keys and list indexes inside attributes
 *   aws_vpc.main.tags["kubernetes.io/role"]     a key that is not a plain name
 *   output.NAME, output.db.endpoint             root module outputs (ecspresso's spelling), and inside them
 *
 * Module, resource type and resource names are Terraform identifiers (letters, digits, `_`, `-`). After the
 * resource, `.name` takes anything but blanks up to the next `.` or `[` (map keys like `aws:cloudformation:stack-name`),
 * and `["…"]` takes any JSON string (for keys with blanks, dots or brackets).
 */

export type InstanceKey = number | string;

/** One step into a value: `.name` (an attribute or map key) or `[key]` (a list index or a map key). */
export type PathStep = { readonly kind: 'attr'; readonly name: string } | { readonly kind: 'index'; readonly key: InstanceKey };

export interface ModuleStep {
  readonly name: string;
  readonly key?: InstanceKey;
}

export interface ResourceAddress {
  readonly kind: 'resource';
  readonly modules: readonly ModuleStep[];
  readonly mode: 'managed' | 'data';
  readonly type: string;
  readonly name: string;
  /** The count index or for_each key, when the address gives one. */
  readonly key?: InstanceKey;
  readonly path: readonly PathStep[];
}

export interface OutputAddress {
  readonly kind: 'output';
  readonly name: string;
  readonly path: readonly PathStep[];
}

export type TerraformAddress = ResourceAddress | OutputAddress;

/** An address that does not follow the grammar; `message` says what was expected where. */
export class AddressSyntaxError extends Error {
  constructor(
    readonly address: string,
    readonly detail: string,
  ) {
    super(`invalid Terraform address "${address}": ${detail}`);
    this.name = 'AddressSyntaxError';
  }
}

const IDENTIFIER = /[A-Za-z_][A-Za-z0-9_-]*/y;
const ATTRIBUTE = /[^.[\]"\s]+/y;
const INTEGER = /(?:0|[1-9][0-9]*)/y;
const JSON_STRING = /"(?:[^"\\\u0000-\u001f]|\\.)*"/y;

export function parseAddress(text: string): TerraformAddress {
  let pos = 0;
  const fail = (expected: string): never => {
    const found = pos < text.length ? `"${text.slice(pos, pos + 12)}"` : 'the end';
    throw new AddressSyntaxError(text, `expected ${expected} at column ${pos + 1}, found ${found}`);
  };
  const match = (re: RegExp): string | undefined => {
    re.lastIndex = pos;
    const m = re.exec(text);
    if (!m) return undefined;
    pos += m[0].length;
    return m[0];
  };
  const identifier = (what: string): string => match(IDENTIFIER) ?? fail(what);
  const dot = (what: string): void => {
    if (text[pos] !== '.') fail(`"." before ${what}`);
    pos++;
  };
  /** `[0]` or `["key"]`, or undefined when there is no `[` here. */
  const key = (): InstanceKey | undefined => {
    if (text[pos] !== '[') return undefined;
    pos++;
    let value: InstanceKey;
    const integer = match(INTEGER);
    if (integer !== undefined) value = Number(integer);
    else {
      const quoted = match(JSON_STRING);
      if (quoted === undefined) fail('an index (a number or a "quoted" key)');
      value = JSON.parse(quoted!) as string;
    }
    if (text[pos] !== ']') fail('"]"');
    pos++;
    return value;
  };

  const modules: ModuleStep[] = [];
  let head = identifier('a resource type, data, module or output');
  while (head === 'module') {
    dot('a module name');
    const name = identifier('a module name');
    const moduleKey = key();
    modules.push(moduleKey === undefined ? { name } : { name, key: moduleKey });
    dot('what the module holds');
    head = identifier('a resource type, data or module');
  }

  let address: TerraformAddress;
  if (head === 'output') {
    if (modules.length > 0) {
      throw new AddressSyntaxError(text, "a child module's outputs are not kept in the state; only the root module's are (output.NAME)");
    }
    dot('the output name');
    address = { kind: 'output', name: identifier('an output name'), path: [] };
  } else {
    const mode = head === 'data' ? 'data' : 'managed';
    const type = mode === 'data' ? (dot('the data source type'), identifier('a data source type')) : head;
    dot('the resource name');
    const name = identifier('a resource name');
    const instanceKey = key();
    address = { kind: 'resource', modules, mode, type, name, ...(instanceKey === undefined ? {} : { key: instanceKey }), path: [] };
  }

  const path: PathStep[] = [];
  while (pos < text.length) {
    if (text[pos] === '.') {
      pos++;
      path.push({ kind: 'attr', name: match(ATTRIBUTE) ?? fail('an attribute name') });
    } else if (text[pos] === '[') {
      path.push({ kind: 'index', key: key()! });
    } else {
      fail('"." or "["');
    }
  }
  return { ...address, path };
}

/** `[0]` or `["a"]`. */
export function formatKey(key: InstanceKey): string {
  return typeof key === 'number' ? `[${key}]` : `[${JSON.stringify(key)}]`;
}

/** A module instance path as Terraform writes it in the state's `module` field: `module.a[0].module.b`. */
export function formatModules(modules: readonly ModuleStep[]): string {
  return modules.map((m) => `module.${m.name}${m.key === undefined ? '' : formatKey(m.key)}`).join('.');
}

/** The address up to the resource instance or output, without the attribute path. */
export function formatTarget(address: TerraformAddress): string {
  if (address.kind === 'output') return `output.${address.name}`;
  const resource = `${address.mode === 'data' ? 'data.' : ''}${address.type}.${address.name}${address.key === undefined ? '' : formatKey(address.key)}`;
  return address.modules.length === 0 ? resource : `${formatModules(address.modules)}.${resource}`;
}

const PLAIN_ATTRIBUTE = /^[^.[\]"\s]+$/;

/** `.tags.Name`, `[0]`, `["kubernetes.io/role"]`: each step as it would be written after the target. */
export function formatPath(path: readonly PathStep[]): string {
  return path
    .map((step) => {
      if (step.kind === 'index') return formatKey(step.key);
      return PLAIN_ATTRIBUTE.test(step.name) ? `.${step.name}` : `[${JSON.stringify(step.name)}]`;
    })
    .join('');
}

export function formatAddress(address: TerraformAddress): string {
  return formatTarget(address) + formatPath(address.path);
}
