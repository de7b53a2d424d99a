import { InferenceSpecification } from '@aws-sdk/client-sagemaker';

/**
 * A model package's inference specification as the suite's pipelines
 * register it: SageMaker's XGBoost image on CSV, the model at `modelDataUrl`.
 */
export function xgboostInference(
  modelDataUrl: string,
  environment?: Record<string, string>,
): InferenceSpecification {
  return {
    Containers: [
      {
        Image:
          '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1',
        ModelDataUrl: modelDataUrl,
        ...(environment ? { Environment: environment } : {}),
      },
    ],
    SupportedContentTypes: ['text/csv'],
    SupportedResponseMIMETypes: ['text/csv'],
  };
}
