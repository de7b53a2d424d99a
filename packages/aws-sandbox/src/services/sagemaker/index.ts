import { OperationTable } from '../../context';
import { modelCardOperations } from './modelCards';
import { modelRegistryOperations } from './modelRegistry';
import { pipelineOperations } from './pipelines';
import { resourceOperations } from './resources';
import { studioOperations } from './studio';

export const sagemakerOperations: OperationTable = {
  ...modelRegistryOperations,
  ...modelCardOperations,
  ...studioOperations,
  ...pipelineOperations,
  ...resourceOperations,
};
