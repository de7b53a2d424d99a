// The plugins' README install sections, done to the new app exactly as they
// say: `yarn add` of each package, the backend's `backend.add` lines (the
// ML governance policy in place of allow-all), and for the legacy frontend
// system the page's route and the Model tab on ai-model resources.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { run } from './run.mjs';

const BACKEND_PACKAGES = [
  '@ml-governance/plugin-ml-registry-backend',
  '@ml-governance/plugin-catalog-backend-module-ml-registry',
  '@ml-governance/plugin-scaffolder-backend-module-ml-actions',
  '@ml-governance/plugin-permission-backend-module-ml-governance',
];

function edit(file, replacements) {
  let text = readFileSync(file, 'utf8');
  for (const [from, to] of replacements) {
    if (!text.includes(from)) {
      throw new Error(`${file} no longer contains ${JSON.stringify(from)}`);
    }
    text = text.replace(from, to);
  }
  writeFileSync(file, text);
}

function wireBackend(appDir) {
  edit(path.join(appDir, 'packages/backend/src/index.ts'), [
    [
      "backend.add(\n  import('@backstage/plugin-permission-backend-module-allow-all-policy'),\n);",
      "backend.add(\n  import('@ml-governance/plugin-permission-backend-module-ml-governance'),\n);",
    ],
    [
      'backend.start();',
      [
        "backend.add(import('@ml-governance/plugin-ml-registry-backend'));",
        "backend.add(import('@ml-governance/plugin-catalog-backend-module-ml-registry'));",
        'backend.add(',
        "  import('@ml-governance/plugin-scaffolder-backend-module-ml-actions'),",
        ');',
        '',
        'backend.start();',
      ].join('\n'),
    ],
  ]);
}

function wireLegacyApp(appDir) {
  const src = path.join(appDir, 'packages/app-legacy/src');
  edit(path.join(src, 'App.tsx'), [
    [
      "import { createApp } from '@backstage/app-defaults';",
      "import { createApp } from '@backstage/app-defaults';\nimport { MlRegistryPage } from '@ml-governance/plugin-ml-registry';",
    ],
    [
      '  </FlatRoutes>',
      '    <Route path="/ml-registry" element={<MlRegistryPage />} />\n  </FlatRoutes>',
    ],
  ]);
  edit(path.join(src, 'components/catalog/EntityPage.tsx'), [
    [
      "} from '@backstage/plugin-catalog';",
      "  isResourceType,\n} from '@backstage/plugin-catalog';\nimport { EntityMlModelContent } from '@ml-governance/plugin-ml-registry';",
    ],
    [
      'export const entityPage = (\n  <EntitySwitch>',
      [
        'const aiModelPage = (',
        '  <EntityLayout>',
        '    <EntityLayout.Route path="/" title="Overview">',
        '      {overviewContent}',
        '    </EntityLayout.Route>',
        '    <EntityLayout.Route path="/model" title="Model">',
        '      <EntityMlModelContent />',
        '    </EntityLayout.Route>',
        '  </EntityLayout>',
        ');',
        '',
        'export const entityPage = (',
        '  <EntitySwitch>',
        "    <EntitySwitch.Case if={isResourceType('ai-model')} children={aiModelPage} />",
      ].join('\n'),
    ],
  ]);
}

/**
 * Adds the packages and wires them in; `app-config.local.yaml` is the test's
 * configuration. The packages are named with their version's range, which the
 * app's resolutions send to the tarballs: without one, Yarn would ask the
 * registry for the latest published version first.
 */
export async function installPlugins({ appDir, config, versions, logDir }) {
  const yarnAdd = (workspace, packages) =>
    run(
      'yarn',
      [
        '--cwd',
        `packages/${workspace}`,
        'add',
        ...packages.map(name => `${name}@^${versions[name]}`),
      ],
      { cwd: appDir, logDir, log: 'install' },
    );
  await yarnAdd('app', ['@ml-governance/plugin-ml-registry']);
  await yarnAdd('app-legacy', ['@ml-governance/plugin-ml-registry']);
  await yarnAdd('backend', BACKEND_PACKAGES);
  wireBackend(appDir);
  wireLegacyApp(appDir);
  writeFileSync(path.join(appDir, 'app-config.local.yaml'), config);
}
