import { useEffect, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { ErrorPanel, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import useAsync from 'react-use/esm/useAsync';
import { Box, Grid, Typography } from '@material-ui/core';
import {
  DECISION_GATES,
  DecisionGate,
  DeployRetry,
  GateState,
  DECISION_GATE_TABLE,
} from '@ml-governance/plugin-ml-registry-common';
import { mlRegistryApiRef } from '../../api/MlRegistryApi';
import {
  isAccountUnreachable,
  UnreachableAccountBanner,
} from '../UnreachableAccountBanner/UnreachableAccountBanner';
import { useModelRefresh } from '../signals/useModelRefresh';
import { AuditTrail } from './AuditTrail';
import { DecisionDialog, DecisionInput } from './DecisionDialog';
import { GateCard } from './GateCard';
import { VersionComparison } from '../VersionComparison/VersionComparison';
import { isDecisionGate } from './gateLabels';

/**
 * Where the audit log and the gates agree the version stands, and who may
 * move it on. The view reads again on each change the backend signals for
 * the version's model or a deploy pipeline, so a decision taken elsewhere
 * (another user, the pipeline, the AWS console) shows without a reload;
 * while a gate is pending it also polls, every `pollMs` where signals are
 * not installed and every 30 s where they are.
 */
export function VersionGates(props: {
  arn: string;
  label: string;
  pollMs?: number;
}) {
  const api = useApi(mlRegistryApiRef);
  const { value, loading, error, retry } = useAsyncRetry(
    () => api.getGates(props.arn),
    [api, props.arn],
  );
  // Stalled and not started deploys may move on their own, or after someone fixes the cause in AWS.
  // An unreachable account's view re-reads too, to drop its banner once the account answers again.
  const live =
    !!value?.gates.some(
      g =>
        g.state === 'pending' ||
        g.state === 'stalled' ||
        g.state === 'not-started',
    ) ||
    !!value?.stale ||
    isAccountUnreachable(error);
  const changes = useModelRefresh(props.arn, {
    poll: live,
    pollMs: props.pollMs ?? 5000,
  });
  useEffect(() => {
    if (changes > 0) retry();
  }, [changes, retry]);
  const permissionApi = useApi(permissionApiRef);
  // Decisions act on the dev version for dev approval, on the central copy afterwards.
  const target = (gate: DecisionGate) =>
    (gate === 'dev-approval' ? value?.devArn : value?.centralArn) ?? props.arn;
  // Asked per version (a lead approves only their own team's), once per view, so a changed policy shows on the next visit.
  const { value: permitted } = useAsync(async () => {
    if (!value) return undefined;
    const answers = await Promise.all(
      DECISION_GATES.map(
        async gate =>
          [
            gate,
            (
              await permissionApi.authorize({
                permission: DECISION_GATE_TABLE[gate].permission,
                resourceRef: target(gate),
              })
            ).result === AuthorizeResult.ALLOW,
          ] as const,
      ),
    );
    return Object.fromEntries(answers) as Record<DecisionGate, boolean>;
  }, [permissionApi, value?.devArn, value?.centralArn]);
  const [dialog, setDialog] = useState<{
    gate: DecisionGate;
    decision: 'approve' | 'reject';
  }>();
  const [retryError, setRetryError] = useState<Error>();

  if (loading && !value) return <Progress />;
  if (isAccountUnreachable(error))
    return <UnreachableAccountBanner unavailable={error} />;
  if (error)
    return <ErrorPanel error={error} title="Could not load the gates" />;
  if (!value) return null;

  const decide = async (input: DecisionInput) => {
    await api.decide({
      arn: target(dialog!.gate),
      gate: dialog!.gate,
      decision: dialog!.decision,
      ...input,
    });
    retry();
  };
  // A failed promotion is retried by the dev gate's approvers, a deploy by the central gate's, as the backend checks.
  const retryOf = (state: GateState) => {
    const promotion = state.gate === 'promotion';
    const deploy =
      state.gate.endsWith('deploy') &&
      ['failed', 'stalled', 'not-started'].includes(state.state);
    if (!(promotion && state.state === 'failed') && !deploy) return undefined;
    const gate = promotion ? 'dev-approval' : 'central-approval';
    return {
      allowed: !!permitted?.[gate],
      deniedReason: `Only approvers of ${
        promotion ? 'the dev gate' : 'the central gate (ML engineers)'
      } may retry.`,
      onRetry: (what?: DeployRetry) => {
        setRetryError(undefined);
        api
          .retry({ arn: target(gate), ...(what ? { retry: what } : {}) })
          .then(retry, e => {
            setRetryError(e);
            retry();
          });
      },
    };
  };

  return (
    <>
      {value.stale && (
        <Box mb={2}>
          <UnreachableAccountBanner stale={value.stale} />
        </Box>
      )}
      <Grid container spacing={2}>
        {value.gates.map(state => {
          const gate = state.gate;
          // An approval taken outside Backstage that policy does not promote waits for an approver to adopt it.
          const adopt =
            gate === 'dev-approval' &&
            state.external?.promoted === false &&
            value.gates.find(g => g.gate === 'promotion')?.state === 'waiting';
          const decisionGate =
            isDecisionGate(gate) && (state.state === 'pending' || adopt)
              ? gate
              : undefined;
          const allowed =
            decisionGate && permitted ? permitted[decisionGate] : undefined;
          // The approver weighs what changed: the card waiting for a decision takes the row's width for it.
          const compare = decisionGate && state.state === 'pending';
          return (
            <Grid
              item
              xs={12}
              sm={compare ? 12 : 6}
              md={compare ? 12 : 4}
              key={gate}
            >
              <GateCard
                state={state}
                comparison={
                  compare ? (
                    <VersionComparison
                      arn={target(decisionGate)}
                      gate={decisionGate}
                    />
                  ) : undefined
                }
                actions={
                  decisionGate && allowed !== undefined
                    ? {
                        allowed,
                        adopt,
                        deniedReason:
                          'You are not one of the approvers of this gate.',
                        onDecide: decision =>
                          setDialog({ gate: decisionGate, decision }),
                      }
                    : undefined
                }
                retry={retryOf(state)}
              />
            </Grid>
          );
        })}
      </Grid>
      {retryError && (
        <Typography
          variant="body2"
          color="error"
          role="alert"
          style={{ marginTop: 8 }}
        >
          Retry refused: {retryError.message}
        </Typography>
      )}
      <AuditTrail audit={value.audit} />
      {dialog && (
        <DecisionDialog
          open
          gate={dialog.gate}
          decision={dialog.decision}
          version={props.label}
          checklist={value.checklist}
          onSubmit={decide}
          onClose={() => setDialog(undefined)}
        />
      )}
    </>
  );
}
