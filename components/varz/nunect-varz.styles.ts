import { tileStyles } from '../../src/styles/tiles.js';

export const varzStyles = [tileStyles('varz')];
