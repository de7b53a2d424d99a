import { SidebarItem } from '@backstage/core-components';
import { useRouteRef } from '@backstage/frontend-plugin-api';
import StorageIcon from '@material-ui/icons/Storage';
import { rootRouteRef } from '../../routes';
import { useAwaitingMe } from './useAwaitingMe';

/**
 * The ML Registry's sidebar item, with the number of decisions awaiting the
 * signed-in user. The shown text stays short enough for the sidebar not to
 * clip it (a clipped label no longer matches the link's name for speech
 * input), and the name read out begins with exactly what is shown.
 */
export function AwaitingMeSidebarItem() {
  const { value } = useAwaitingMe();
  const to = useRouteRef(rootRouteRef)?.() ?? '/ml-registry';
  const count = value?.mine.length ?? 0;
  const text = count > 0 ? `ML Registry (${count})` : 'ML Registry';
  return (
    <SidebarItem
      icon={StorageIcon}
      to={to}
      text={text}
      aria-label={count > 0 ? `${text}: ${count} awaiting me` : text}
    />
  );
}
