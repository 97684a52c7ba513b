// Controls come from the Custom Elements Manifest (npm run analyze writes custom-elements.json;
// the storybook scripts run it first), i.e. from the elements' JSDoc.
import { setCustomElementsManifest, type Preview } from '@storybook/web-components-vite';
import manifest from '../custom-elements.json' with { type: 'json' };

setCustomElementsManifest(manifest);

const preview: Preview = {
  parameters: {
    controls: { expanded: true, sort: 'requiredFirst' },
    layout: 'padded',
  },
};

export default preview;
