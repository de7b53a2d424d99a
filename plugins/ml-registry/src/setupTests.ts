import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// Backstage apps load lazily; a cold two-core CI machine needs more than the
// default second for the first render.
configure({ asyncUtilTimeout: 10_000 });
