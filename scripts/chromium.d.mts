// Types of scripts/chromium.mjs.
export declare const CHROME_PATH: string;
export declare function chromiumArgs(options?: { spki?: string; headless?: boolean }): string[];
