import { SidebarOpenStateProvider } from '@backstage/core-components';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { screen } from '@testing-library/react';
import { AwaitingMeSidebarItem } from './AwaitingMeSidebarItem';
import { useAwaitingMe } from './useAwaitingMe';

jest.mock('./useAwaitingMe');
const awaiting = (count: number) =>
  jest.mocked(useAwaitingMe).mockReturnValue({
    value: { mine: Array(count).fill({}) } as any,
    loading: false,
    error: undefined,
  });

/** As in an open sidebar, where the item shows its text. */
const renderOpen = () =>
  renderInTestApp(
    <SidebarOpenStateProvider value={{ isOpen: true, setOpen: () => {} }}>
      <AwaitingMeSidebarItem />
    </SidebarOpenStateProvider>,
  );

describe('AwaitingMeSidebarItem', () => {
  it('shows the count, and its name begins with what it shows', async () => {
    awaiting(2);
    await renderOpen();
    const link = screen.getByRole('link', {
      name: 'ML Registry (2): 2 awaiting me',
    });
    expect(link).toHaveTextContent('ML Registry (2)');
  });

  it('is the plain item when nothing awaits', async () => {
    awaiting(0);
    await renderOpen();
    expect(screen.getByRole('link', { name: 'ML Registry' })).toHaveTextContent(
      /^ML Registry$/,
    );
  });
});
