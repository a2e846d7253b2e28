import { PACKAGE } from './package-root.ts';

export const PACKAGE_VERSION = PACKAGE?.version ?? '0.0.0';
