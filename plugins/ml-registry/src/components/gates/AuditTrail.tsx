import { List, ListItem, ListItemText, Typography } from '@material-ui/core';
import { AuditEntry } from '@ml-governance/plugin-ml-registry-common';
import { Actor } from '../Actor/Actor';
import { RelativeTime } from '../RelativeTime/RelativeTime';

/** Who did what at which gate, when and why: the newest entries of a version's audit log. */
export function AuditTrail(props: { audit: AuditEntry[] }) {
  return (
    <>
      <Typography variant="h6" component="h3" style={{ marginTop: 16 }}>
        Audit trail
      </Typography>
      {props.audit.length === 0 ? (
        <Typography variant="body2">
          Nothing decided in Backstage yet.
        </Typography>
      ) : (
        <List dense aria-label="Audit trail">
          {props.audit.map((entry, i) => (
            <ListItem key={i}>
              <ListItemText
                primary={
                  <>
                    <Actor who={entry.actor} /> {entry.action} at {entry.gate}:{' '}
                    {entry.result}
                  </>
                }
                // The gate cards' tinted backgrounds leave too little contrast for the theme's secondary text.
                secondaryTypographyProps={{ color: 'textPrimary' }}
                secondary={
                  <>
                    <RelativeTime at={entry.at} />
                    {entry.reason ? ` · ${entry.reason}` : ''}
                  </>
                }
              />
            </ListItem>
          ))}
        </List>
      )}
    </>
  );
}
