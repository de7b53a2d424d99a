import { SidebarItem } from '@backstage/core-components';
import { useRouteRef } from '@backstage/frontend-plugin-api';
import { Chip } from '@material-ui/core';
import StorageIcon from '@material-ui/icons/Storage';
import { rootRouteRef } from '../../routes';
import { useAwaitingMe } from './useAwaitingMe';

/** Read by screen readers, not shown. */
const VISUALLY_HIDDEN = {
  position: 'absolute',
  width: 1,
  height: 1,
  overflow: 'hidden',
  clip: 'rect(0 0 0 0)',
  whiteSpace: 'nowrap',
} as const;

/** The ML Registry's sidebar item, with the number of decisions awaiting the signed-in user. */
export function AwaitingMeSidebarItem() {
  const { value } = useAwaitingMe();
  const to = useRouteRef(rootRouteRef)?.() ?? '/ml-registry';
  const count = value?.mine.length ?? 0;
  return (
    <SidebarItem icon={StorageIcon} to={to} text="ML Registry">
      {count > 0 && (
        <Chip
          size="small"
          color="primary"
          label={
            <>
              {count}
              <span style={VISUALLY_HIDDEN}>
                {' '}
                decision{count > 1 ? 's' : ''} awaiting me
              </span>
            </>
          }
        />
      )}
    </SidebarItem>
  );
}
