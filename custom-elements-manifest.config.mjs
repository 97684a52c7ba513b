// Settings of `cem analyze` (npm run analyze) beyond its command-line flags.
export default {
  plugins: [
    {
      // NunectElement.emit(name, detail) dispatches `new CustomEvent(name, …)`: the analyzer takes the
      // parameter for an event called "name". The real events are documented with @fires.
      name: 'nunect-drop-emit-parameter-event',
      packageLinkPhase({ customElementsManifest }) {
        for (const mod of customElementsManifest.modules ?? []) {
          for (const decl of mod.declarations ?? []) {
            if (decl.events) decl.events = decl.events.filter((e) => e.name !== 'name');
            if (decl.events?.length === 0) delete decl.events;
          }
        }
      },
    },
  ],
};
