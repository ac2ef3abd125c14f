// A local ESLint rule, `studio/layers`: every import of a file in a layer (static, `export from`,
// dynamic `import()`, `require()`, `import x = require()`, `typeof import()`) is checked against
// the layer table of docs/DEVELOPING.md, given as the rule's options by eslint.config.js.
// Relative paths are resolved to the folder they reach, so `../sim/main` is refused from
// electron/cli while electron/sim's own `./cli/repl` is not (a name pattern cannot tell them).
import { builtinModules } from 'node:module';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';

const BUILTINS = new Set(builtinModules);

/** `node:fs`, `fs`, `fs/promises`: a Node built-in. */
function isNodeBuiltin(spec) {
  return spec.startsWith('node:') || BUILTINS.has(spec) || BUILTINS.has(spec.split('/')[0]);
}

/** The package a bare specifier names: `react-dom/client` -> `react-dom`, `@xterm/xterm`. */
function packageOf(spec) {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** `@codemirror/*` matches every package of the scope. */
function matchesPackage(pattern, pkg) {
  return pattern.endsWith('/*') ? pkg.startsWith(pattern.slice(0, -1)) : pattern === pkg;
}

const toPosix = (p) => p.split(sep).join('/');
const within = (path, dir) => path === dir || path.startsWith(`${dir}/`);

/** The layer a repository-relative path belongs to: the one with the longest matching folder. */
function layerOf(layers, path) {
  let best;
  for (const layer of layers)
    if (within(path, layer.dir) && (best === undefined || layer.dir.length > best.dir.length))
      best = layer;
  return best;
}

/** The module specifier a node imports, or null when it is computed. */
function specifierOf(source) {
  if (source == null) return null;
  if (source.type === 'Literal' && typeof source.value === 'string') return source.value;
  if (source.type === 'TemplateLiteral' && source.expressions.length === 0)
    return source.quasis[0].value.cooked;
  return null;
}

export const layersRule = {
  meta: {
    type: 'problem',
    docs: { description: 'Imports follow the layer table of docs/DEVELOPING.md.' },
    schema: [{ type: 'object' }],
    messages: {
      folder: "'{{spec}}' reaches {{target}}: {{layer}} may import only {{allowed}}.",
      package: "'{{spec}}': {{why}}",
      owner: "'{{spec}}' is imported only in {{owner}}/ (one owner per native package).",
      computed:
        'import() of a computed specifier cannot be checked against the layers: name the module literally.',
    },
  },
  create(context) {
    const { layers, packages, owners } = context.options[0];
    const root = context.cwd;
    const file = toPosix(relative(root, context.filename));
    if (file.startsWith('..') || isAbsolute(file)) return {};
    const layer = layerOf(layers, file);
    if (layer === undefined || layer.may === '*') return {};

    function check(node, spec) {
      if (spec === null) {
        context.report({ node, messageId: 'computed' });
        return;
      }
      if (spec.startsWith('.') || spec.startsWith('/')) {
        const target = toPosix(relative(root, resolve(dirname(context.filename), spec)));
        const reached = layerOf(layers, target);
        if (reached !== undefined && !layer.may.includes(reached.name))
          context.report({
            node,
            messageId: 'folder',
            data: {
              spec,
              target: `${reached.dir}/`,
              layer: `${layer.dir}/`,
              allowed: allowedText(layer),
            },
          });
        return;
      }
      const pkg = isNodeBuiltin(spec) ? null : packageOf(spec);
      for (const group of layer.refuse ?? []) {
        const rule = packages[group];
        const hit =
          rule.node === true
            ? isNodeBuiltin(spec)
            : pkg !== null && rule.names.some((n) => matchesPackage(n, pkg));
        if (hit) {
          context.report({ node, messageId: 'package', data: { spec, why: rule.why } });
          return;
        }
      }
      const owner = pkg === null ? undefined : owners[pkg];
      if (owner !== undefined && !within(file, owner))
        context.report({ node, messageId: 'owner', data: { spec, owner } });
    }

    function allowedText(l) {
      return l.may.map((name) => `${layers.find((x) => x.name === name)?.dir ?? name}/`).join(', ');
    }

    const fromSource = (node) => check(node, specifierOf(node.source));
    return {
      ImportDeclaration: fromSource,
      ExportNamedDeclaration: (node) => node.source != null && fromSource(node),
      ExportAllDeclaration: fromSource,
      ImportExpression: fromSource,
      CallExpression(node) {
        if (
          node.callee.type === 'Identifier' &&
          node.callee.name === 'require' &&
          node.arguments.length > 0
        )
          check(node, specifierOf(node.arguments[0]));
      },
      TSImportEqualsDeclaration(node) {
        if (node.moduleReference.type === 'TSExternalModuleReference')
          check(node, specifierOf(node.moduleReference.expression));
      },
      TSImportType(node) {
        check(node, specifierOf(node.source));
      },
    };
  },
};

export default { rules: { layers: layersRule } };
