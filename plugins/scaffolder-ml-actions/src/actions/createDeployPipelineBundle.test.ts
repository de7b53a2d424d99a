import JSZip from 'jszip';
import {
  DeployPipelineParameters,
  deployPipelineSource,
  renderDeployPipeline,
  sourceLocation,
} from './createDeployPipelineBundle';

const REQUIRED: DeployPipelineParameters = {
  PipelineName: 'credit-risk-deploy',
  ModelPackageGroupName: 'credit-risk',
  SharedAccountId: '111111111111',
  TestAccountId: '333333333333',
  ProdAccountId: '444444444444',
  Region: 'us-east-1',
  KmsKeyArn:
    'arn:aws:kms:us-east-1:111111111111:key/8d1f3c2a-5b6e-4f70-9a1b-2c3d4e5f6a7b',
};

describe('the deploy pipeline bundle', () => {
  it('renders every placeholder, the unset ones from their defaults', () => {
    const bundle = renderDeployPipeline(REQUIRED);
    expect(JSON.stringify(bundle)).not.toContain('${');
    expect(bundle.pipeline.roleArn).toBe(
      'arn:aws:iam::111111111111:role/ml-deploy-pipeline',
    );
    expect(sourceLocation(bundle)).toEqual({
      bucket: 'ml-deploy-artifacts-111111111111',
      key: 'credit-risk-deploy/source.zip',
    });
    expect(bundle.rule.Name).toBe('credit-risk-deploy-on-approval');
    expect(JSON.parse(bundle.rule.EventPattern!)).toEqual({
      source: ['aws.sagemaker'],
      'detail-type': ['SageMaker Model Package State Change'],
      detail: {
        ModelPackageGroupName: ['credit-risk'],
        ModelApprovalStatus: ['Approved', 'Rejected'],
      },
    });
    expect(
      renderDeployPipeline({ ...REQUIRED, ArtifactBucket: 'my-artifacts' })
        .pipeline.artifactStore!.location,
    ).toBe('my-artifacts');
  });

  it('refuses a parameter it does not declare, and a declared one without a value, naming them', () => {
    expect(() =>
      renderDeployPipeline({
        ...REQUIRED,
        Stage: 'x',
      } as DeployPipelineParameters),
    ).toThrow(/deploy-pipeline\/pipeline\.json: declares no parameter Stage$/);
    const { KmsKeyArn, ...withoutKey } = REQUIRED;
    expect(() =>
      renderDeployPipeline(withoutKey as DeployPipelineParameters),
    ).toThrow(
      /deploy-pipeline\/pipeline\.json: parameter KmsKeyArn needs a value$/,
    );
  });

  it('zips the build code the same way each time', async () => {
    const [once, again] = await Promise.all([
      deployPipelineSource(),
      deployPipelineSource(),
    ]);
    expect(once.equals(again)).toBe(true);
    const zip = await JSZip.loadAsync(once);
    expect(await zip.file('buildspec.yml')!.async('string')).toContain(
      'node build.mjs',
    );
  });
});
