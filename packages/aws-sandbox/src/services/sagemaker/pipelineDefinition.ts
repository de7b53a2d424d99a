import { MemberRef, serviceModel, Shape } from '../../contract/model';
import { validation } from '../../errors';
import { Json } from '../../state';

/**
 * A SageMaker pipeline definition, checked as SageMaker checks it on
 * CreatePipeline and UpdatePipeline. The schema:
 * https://aws-sagemaker-mlops.github.io/sagemaker-model-building-pipeline-definition-JSON-schema/
 * Property references (`{ "Get": "Steps.<step>.<property>" }`) name the
 * properties of the job the step runs, i.e. the Describe* response of its
 * type: https://docs.aws.amazon.com/sagemaker/latest/dg/build-and-manage-propertyfile.html
 * and https://docs.aws.amazon.com/sagemaker/latest/dg/build-and-manage-steps.html
 */
export interface PipelineStep {
  Name: string;
  Type: string;
  Arguments?: Json;
  DependsOn?: string[];
  PropertyFiles?: {
    PropertyFileName: string;
    OutputName: string;
    FilePath: string;
  }[];
  OutputParameters?: { OutputName: string }[];
}

export interface PipelineDefinition {
  /** The declared parameters' names. */
  parameters: string[];
  /** Each parameter's default, as the execution starts with it. */
  defaults: Record<string, string>;
  /** Every step, in an order in which each comes after the steps it depends on. */
  steps: PipelineStep[];
}

// The step properties a reference may name: the output shape of the Describe call of the job each type runs.
const PROPERTY_SHAPES: Record<string, string> = {
  Training: 'DescribeTrainingJobResponse',
  Processing: 'DescribeProcessingJobResponse',
  Transform: 'DescribeTransformJobResponse',
  Tuning: 'DescribeHyperParameterTuningJobResponse',
  AutoML: 'DescribeAutoMLJobResponse',
  Model: 'DescribeModelOutput',
  RegisterModel: 'DescribeModelPackageOutput',
};

// Types whose properties are not a SageMaker job's: the properties the SageMaker Python SDK gives them.
const FIXED_PROPERTIES: Record<string, string[]> = {
  Condition: ['Outcome'],
  Fail: [],
  Lambda: ['OutputParameters'],
  Callback: ['OutputParameters'],
  EMR: ['ClusterId'],
  QualityCheck: [
    'CalculatedBaselineConstraints',
    'CalculatedBaselineStatistics',
    'BaselineUsedForDriftCheckStatistics',
    'BaselineUsedForDriftCheckConstraints',
  ],
  ClarifyCheck: [
    'CalculatedBaselineConstraints',
    'BaselineUsedForDriftCheckConstraints',
  ],
};

const STEP_TYPES = [
  ...Object.keys(PROPERTY_SHAPES),
  ...Object.keys(FIXED_PROPERTIES),
];

/** The official SageMaker service model's shapes (models/sagemaker.json). */
const shapes = () => serviceModel('sagemaker').shapes;

// The create request each job step's arguments are (less the job name, which the pipeline gives), for its required members.
const JOB_REQUESTS: Record<string, [request: string, jobName: string]> = {
  Training: ['CreateTrainingJobRequest', 'TrainingJobName'],
  Processing: ['CreateProcessingJobRequest', 'ProcessingJobName'],
  Transform: ['CreateTransformJobRequest', 'TransformJobName'],
};

/** The arguments a step of this type must have. */
function requiredArguments(type: string): string[] {
  // CreateModelPackage requires nothing in the model; a pipeline's registration needs a group and what to serve.
  if (type === 'RegisterModel')
    return ['ModelPackageGroupName', 'InferenceSpecification'];
  const job = JOB_REQUESTS[type];
  return job ? (shapes()[job[0]].required ?? []).filter(m => m !== job[1]) : [];
}

const EXECUTION_VARIABLES = [
  'PipelineExecutionId',
  'PipelineExecutionArn',
  'PipelineName',
  'PipelineArn',
  'StartDateTime',
  'CurrentDateTime',
];
const PARAMETER_TYPES = ['String', 'Integer', 'Float', 'Boolean'];

// SageMaker's message for a definition it refuses, e.g. "Unable to parse pipeline definition. Expecting start of Json Array."
// (https://github.com/aws/sagemaker-python-sdk/issues/2345).
const malformed = (detail: string) =>
  validation(`Unable to parse pipeline definition. ${detail}`);

/** The segments of a property path: `A.B[0].C['key']` is A, B, 0, C, 'key'. */
function propertySegments(text: string): (string | number)[] | undefined {
  const segments: (string | number)[] = [];
  const token =
    /^(?:\.?([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]|\['([^']*)'\]|\["([^"]*)"\])/;
  let rest = text;
  while (rest) {
    const m = token.exec(rest);
    if (!m) return undefined;
    segments.push(m[1] ?? (m[2] !== undefined ? Number(m[2]) : m[3] ?? m[4]));
    rest = rest.slice(m[0].length);
  }
  return segments;
}

/** Whether the model's shape has this path: members of structures, items of lists (by index or, as SageMaker allows, by name), values of maps. */
function shapeHasPath(
  shapeName: string,
  segments: (string | number)[],
): boolean {
  let shape: Shape | undefined = shapes()[shapeName];
  for (const segment of segments) {
    if (shape?.type === 'structure') {
      const member: MemberRef | undefined =
        typeof segment === 'string' ? shape.members?.[segment] : undefined;
      if (!member) return false;
      shape = shapes()[member.shape];
    } else if (shape?.type === 'list') {
      shape = shapes()[shape.member!.shape];
    } else if (shape?.type === 'map') {
      shape = shapes()[shape.value!.shape];
    } else {
      return false;
    }
  }
  return true;
}

/** Every `Get` a value holds, anywhere inside it. */
function referencesIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(referencesIn);
  if (!value || typeof value !== 'object') return [];
  const get = (value as Json).Get;
  if (typeof get === 'string' && Object.keys(value).length === 1) return [get];
  return Object.values(value).flatMap(referencesIn);
}

/** A property the step's type has, and the output or output parameter it names declared by the step. */
function checkStepProperty(
  where: string,
  target: PipelineStep,
  property: string,
  segments: (string | number)[],
) {
  const shape = PROPERTY_SHAPES[target.Type];
  const known = shape
    ? shapeHasPath(shape, segments)
    : FIXED_PROPERTIES[target.Type].includes(String(segments[0]));
  if (!known)
    throw malformed(
      `${where}: a ${target.Type} step has no property ${property}.`,
    );
  if (
    target.Type === 'Processing' &&
    segments[0] === 'ProcessingOutputConfig' &&
    typeof segments[2] === 'string'
  ) {
    const outputs: Json[] =
      target.Arguments?.ProcessingOutputConfig?.Outputs ?? [];
    if (!outputs.some(o => o?.OutputName === segments[2]))
      throw malformed(
        `${where}: step ${target.Name} has no output named ${segments[2]}.`,
      );
  }
  if (
    (target.Type === 'Lambda' || target.Type === 'Callback') &&
    segments.length > 1 &&
    !target.OutputParameters?.some(o => o.OutputName === segments[1])
  ) {
    throw malformed(
      `${where}: step ${target.Name} declares no output parameter ${segments[1]}.`,
    );
  }
}

function checkReference(
  reference: string,
  from: PipelineStep,
  parameters: Set<string>,
  steps: Map<string, PipelineStep>,
): string | undefined {
  const where = `Step ${from.Name}: ${reference}`;
  const [root, name, ...rest] = reference.split('.');
  if (root === 'Parameters') {
    if (!parameters.has(reference.slice('Parameters.'.length)))
      throw malformed(`${where} names no declared parameter.`);
    return undefined;
  }
  if (root === 'Execution') {
    if (!EXECUTION_VARIABLES.includes(name) || rest.length)
      throw malformed(
        `${where} is not an execution variable (${EXECUTION_VARIABLES.join(
          ', ',
        )}).`,
      );
    return undefined;
  }
  if (root !== 'Steps')
    throw malformed(
      `${where} must start with Parameters., Steps. or Execution.`,
    );
  const target = steps.get(name);
  if (!target) throw malformed(`${where} names no step of the pipeline.`);
  if (target === from) throw malformed(`${where} refers to the step itself.`);
  const property = reference.slice(`Steps.${name}.`.length);
  const segments = propertySegments(property);
  if (!segments?.length)
    throw malformed(`${where} names no property of the step.`);
  if (segments[0] === 'PropertyFiles') {
    if (
      segments.length !== 2 ||
      !target.PropertyFiles?.some(f => f.PropertyFileName === segments[1])
    ) {
      throw malformed(`${where}: step ${name} declares no such property file.`);
    }
    return name;
  }
  checkStepProperty(where, target, property, segments);
  return name;
}

/** The steps in an order that runs each after what it depends on, or the cycle that prevents it. */
function ordered(
  steps: PipelineStep[],
  dependencies: Map<string, Set<string>>,
): PipelineStep[] {
  const done = new Set<string>();
  const visiting: string[] = [];
  const order: PipelineStep[] = [];
  const byName = new Map(steps.map(s => [s.Name, s]));
  const visit = (step: PipelineStep) => {
    if (done.has(step.Name)) return;
    if (visiting.includes(step.Name)) {
      throw malformed(
        `Steps depend on each other in a cycle: ${[
          ...visiting.slice(visiting.indexOf(step.Name)),
          step.Name,
        ].join(' -> ')}.`,
      );
    }
    visiting.push(step.Name);
    for (const d of dependencies.get(step.Name) ?? []) visit(byName.get(d)!);
    visiting.pop();
    done.add(step.Name);
    order.push(step);
  };
  steps.forEach(visit);
  return order;
}

/** The declared parameters, each named once with a known type, and their defaults. */
function declaredParameters(given: Json[] | undefined) {
  const declared: Json[] = given ?? [];
  if (!Array.isArray(declared)) throw malformed('Parameters must be a list.');
  const parameters = new Set<string>();
  const defaults: Record<string, string> = {};
  declared.forEach((p, i) => {
    if (typeof p?.Name !== 'string' || !p.Name)
      throw malformed(`Parameters[${i}] needs a Name.`);
    if (parameters.has(p.Name))
      throw malformed(`Parameter ${p.Name} is declared twice.`);
    if (!PARAMETER_TYPES.includes(p.Type))
      throw malformed(
        `Parameter ${p.Name}: Type must be one of ${PARAMETER_TYPES.join(
          ', ',
        )}.`,
      );
    parameters.add(p.Name);
    if (p.DefaultValue !== undefined) defaults[p.Name] = String(p.DefaultValue);
  });
  return { parameters, defaults };
}

/** The steps by name: each named once, of a known type. */
function stepsByName(steps: PipelineStep[]): Map<string, PipelineStep> {
  const byName = new Map<string, PipelineStep>();
  steps.forEach((s, i) => {
    if (typeof s?.Name !== 'string' || !/^[A-Za-z0-9\-_]{1,64}$/.test(s.Name))
      throw malformed(
        `Steps[${i}] needs a Name of letters, digits, - and _ (at most 64).`,
      );
    if (byName.has(s.Name))
      throw malformed(`Step name ${s.Name} is used twice.`);
    if (!STEP_TYPES.includes(s.Type))
      throw malformed(
        `Step ${s.Name}: Type ${s.Type} is not one of ${STEP_TYPES.join(
          ', ',
        )}.`,
      );
    byName.set(s.Name, s);
  });
  return byName;
}

/**
 * The steps a step depends on: those it names in DependsOn and those whose
 * properties it reads; its required arguments are checked on the way.
 */
function stepDependencies(
  step: PipelineStep,
  parameters: Set<string>,
  byName: Map<string, PipelineStep>,
): Set<string> {
  const missing = requiredArguments(step.Type).filter(
    a => step.Arguments?.[a] === undefined,
  );
  if (missing.length)
    throw malformed(
      `Step ${step.Name}: a ${
        step.Type
      } step needs the arguments ${missing.join(', ')}.`,
    );
  if (step.Type === 'RegisterModel') {
    const containers = step.Arguments!.InferenceSpecification.Containers;
    if (
      !Array.isArray(containers) ||
      !containers.length ||
      containers.some((c: Json) => c?.Image === undefined)
    ) {
      throw malformed(
        `Step ${step.Name}: InferenceSpecification.Containers must list at least one container, each with an Image.`,
      );
    }
  }
  const on = new Set<string>();
  for (const d of step.DependsOn ?? []) {
    if (!byName.has(d) || d === step.Name)
      throw malformed(
        `Step ${step.Name}: DependsOn names ${d}, which is no other step of the pipeline.`,
      );
    on.add(d);
  }
  for (const reference of referencesIn(step)) {
    const target = checkReference(reference, step, parameters, byName);
    if (target) on.add(target);
  }
  return on;
}

/** Parses and checks a pipeline definition, refusing what SageMaker refuses with a ValidationException. */
export function parsePipelineDefinition(text: string): PipelineDefinition {
  let definition: any;
  try {
    definition = JSON.parse(text);
  } catch (e: any) {
    throw malformed(`It is not JSON: ${e.message}`);
  }
  if (definition?.Version !== '2020-12-01')
    throw malformed('Version must be "2020-12-01".');
  const { parameters, defaults } = declaredParameters(definition.Parameters);
  const steps: PipelineStep[] = definition.Steps;
  if (!Array.isArray(steps) || steps.length === 0)
    throw malformed('Steps must list at least one step.');
  const byName = stepsByName(steps);
  const dependencies = new Map<string, Set<string>>();
  for (const step of steps) {
    dependencies.set(step.Name, stepDependencies(step, parameters, byName));
  }
  return {
    parameters: [...parameters],
    defaults,
    steps: ordered(steps, dependencies),
  };
}

/** What a running execution resolves references against. */
export interface ResolutionScope {
  parameters: Record<string, string>;
  execution: Record<string, string>;
  /** The properties of the steps that ran, as their Describe call returns them. */
  steps: Record<string, Json>;
  /** Each property file's content, by `<step>.<file>`. */
  propertyFiles: Record<string, Json>;
}

function lookup(root: unknown, segments: (string | number)[]): unknown {
  return segments.reduce<any>((node, segment) => {
    if (Array.isArray(node) && typeof segment === 'string') {
      return node.find(
        item =>
          item?.OutputName === segment ||
          item?.Name === segment ||
          item?.MetricName === segment,
      );
    }
    return node?.[segment];
  }, root);
}

/** A step argument with every Get, Std:Join and Std:JsonGet replaced by its value in this execution. */
export function resolveValue(value: unknown, scope: ResolutionScope): any {
  if (Array.isArray(value)) return value.map(v => resolveValue(v, scope));
  if (!value || typeof value !== 'object') return value;
  const v = value as Json;
  if (typeof v.Get === 'string' && Object.keys(v).length === 1) {
    const [root, name] = v.Get.split('.');
    if (root === 'Parameters')
      return scope.parameters[v.Get.slice('Parameters.'.length)];
    if (root === 'Execution') return scope.execution[name];
    const property = v.Get.slice(`Steps.${name}.`.length);
    if (property.startsWith('PropertyFiles.'))
      return `${name}.${property.slice('PropertyFiles.'.length)}`;
    return lookup(scope.steps[name], propertySegments(property)!);
  }
  if (v['Std:Join'] && Object.keys(v).length === 1) {
    const { On = '', Values = [] } = v['Std:Join'];
    return resolveValue(Values, scope).map(String).join(On);
  }
  if (v['Std:JsonGet'] && Object.keys(v).length === 1) {
    const file =
      scope.propertyFiles[resolveValue(v['Std:JsonGet'].PropertyFile, scope)];
    return lookup(file, propertySegments(String(v['Std:JsonGet'].Path)) ?? []);
  }
  return Object.fromEntries(
    Object.entries(v).map(([k, item]) => [k, resolveValue(item, scope)]),
  );
}
