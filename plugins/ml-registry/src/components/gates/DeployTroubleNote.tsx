import { Link } from '@backstage/core-components';
import { Box, Typography } from '@material-ui/core';
import { DeployTrouble } from '@ml-governance/plugin-ml-registry-common';

function duration(seconds: number): string {
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  return `${Math.round(seconds / 3600)} h`;
}

/**
 * Why a deploy does not move, as AWS last reported it: which stage and action,
 * its status and error, for how long, what to check and where in the console.
 */
export function DeployTroubleNote(props: { deploy: DeployTrouble }) {
  const { deploy } = props;
  const where = deploy.stageName
    ? `${deploy.stageName}${deploy.actionName ? ` / ${deploy.actionName}` : ''}`
    : deploy.pipelineName;
  return (
    <Box mt={1} role="note" aria-label="What AWS reports">
      <Typography variant="body2">
        {where}
        {deploy.status ? `: ${deploy.status}` : ''}
        {deploy.stuckForSeconds !== undefined
          ? ` for ${duration(deploy.stuckForSeconds)}`
          : ''}
      </Typography>
      {deploy.rule && (
        <Typography variant="body2">
          Started by the rule {deploy.rule}
        </Typography>
      )}
      {deploy.errorDetails?.message && (
        <Typography variant="body2">
          Error
          {deploy.errorDetails.code
            ? ` (${deploy.errorDetails.code})`
            : ''}: {deploy.errorDetails.message}
        </Typography>
      )}
      {deploy.summary && deploy.summary !== deploy.errorDetails?.message && (
        <Typography variant="body2">Summary: {deploy.summary}</Typography>
      )}
      <Typography variant="body2">Check: {deploy.check}</Typography>
      <Link to={deploy.consoleUrl} target="_blank" rel="noopener">
        {deploy.executionId
          ? `Execution ${deploy.executionId} in the AWS console`
          : `${deploy.pipelineName} in the AWS console`}
      </Link>
    </Box>
  );
}
