import { SidebarItem } from '@backstage/core-components';
import { useRouteRef } from '@backstage/frontend-plugin-api';
import StorageIcon from '@material-ui/icons/Storage';
import { rootRouteRef } from '../../routes';
import { useAwaitingMe } from './useAwaitingMe';

/**
 * The ML Registry's sidebar item, with the number of decisions awaiting the
 * signed-in user in its text: the item's accessible name is its text, so the
 * number is read out as it is shown.
 */
export function AwaitingMeSidebarItem() {
  const { value } = useAwaitingMe();
  const to = useRouteRef(rootRouteRef)?.() ?? '/ml-registry';
  const count = value?.mine.length ?? 0;
  return (
    <SidebarItem
      icon={StorageIcon}
      to={to}
      text={count > 0 ? `ML Registry (${count} awaiting me)` : 'ML Registry'}
    />
  );
}
