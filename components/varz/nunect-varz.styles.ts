import { absentStyles } from '../../src/styles/absent.js';
import { tileStyles } from '../../src/styles/tiles.js';

export const varzStyles = [tileStyles('varz'), absentStyles];
