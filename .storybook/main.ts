// Storybook 10 for the nunect elements (web components + Vite). Stories: stories/**/*.stories.ts.
// Offline by design: no telemetry, no version check (the npm scripts pass --no-version-updates).
import { defineMain } from '@storybook/web-components-vite/node';

export default defineMain({
  framework: { name: '@storybook/web-components-vite', options: {} },
  stories: ['../stories/**/*.stories.ts'],
  addons: [],
  core: {
    disableTelemetry: true,
    disableWhatsNewNotifications: true,
  },
  async viteFinal(config) {
    // Vite 8 transforms TypeScript with Oxc, which reads tsconfig.json: legacy decorators
    // (experimentalDecorators) with useDefineForClassFields: false, so Lit's reactive properties
    // stay accessors. @nats-io/nats-core is CommonJS; the dependency optimizer turns it into ESM.
    return {
      ...config,
      optimizeDeps: {
        ...config.optimizeDeps,
        include: [...(config.optimizeDeps?.include ?? []), '@nats-io/nats-core'],
      },
      build: { ...config.build, chunkSizeWarningLimit: 2_000 },
    };
  },
});
