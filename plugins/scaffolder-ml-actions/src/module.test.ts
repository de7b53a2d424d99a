import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { TemplateAction } from '@backstage/plugin-scaffolder-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { SUITE_ACTION_IDS } from './__testUtils__/suiteActionIds';
import { scaffolderModuleMlActions } from './module';

describe('scaffolderModuleMlActions', () => {
  it('registers the ML actions with the scaffolder', async () => {
    const added: TemplateAction<any, any, any>[] = [];
    await startTestBackend({
      extensionPoints: [
        [
          scaffolderActionsExtensionPoint,
          { addActions: (...a: any[]) => added.push(...a) },
        ],
      ],
      features: [
        scaffolderModuleMlActions,
        mockServices.rootConfig.factory({ data: {} }),
      ],
    });
    expect(added.map(a => a.id)).toEqual(SUITE_ACTION_IDS);
  });
});
