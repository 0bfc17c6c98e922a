import type { ForgeConfig } from '@electron-forge/shared-types';
import { MakerDeb } from '@electron-forge/maker-deb';
import { MakerDMG } from '@electron-forge/maker-dmg';
import { MakerSquirrel } from '@electron-forge/maker-squirrel';
import { MakerZIP } from '@electron-forge/maker-zip';
import { AutoUnpackNativesPlugin } from '@electron-forge/plugin-auto-unpack-natives';
import { FusesPlugin } from '@electron-forge/plugin-fuses';
import { FuseV1Options, FuseVersion } from '@electron/fuses';

/**
 * Desktop packaging (run on a machine with the Electron binary: `npm run make`). `npm run build`
 * must have produced dist/ first. Native modules (better-sqlite3, the engine, onnxruntime) are
 * unpacked from the asar archive because the OS loader cannot read inside it; better-sqlite3 is
 * rebuilt against Electron's ABI by forge's rebuild step.
 */
const config: ForgeConfig = {
  packagerConfig: {
    name: 'Attribution Studio',
    executableName: 'attribution-studio',
    appBundleId: 'org.attribution-studio.app',
    asar: { unpack: '**/*.{node,so,dylib,dll}' },
    // Ship the build output and runtime files only, not sources, tests or caches.
    ignore: [
      /^\/(main|renderer|test|bench|scripts|contracts\/(src|test|tools|out|cache)|native\/(src|test|fuzz|tools|cuda)|docs|\.ci)(\/|$)/,
      /\.map$/,
      // Of native/build only the addon and the CUDA backend library ship (not objects, not the
      // host-emulated test build in build/emu).
      /^\/native\/build\/(?!Release(\/(engine\.node|libstudio_cuda\.so))?$)/,
    ],
  },
  rebuildConfig: { onlyModules: ['better-sqlite3'] },
  makers: [
    new MakerSquirrel({ name: 'attribution_studio' }),
    new MakerZIP({}, ['darwin', 'linux']),
    new MakerDMG({ format: 'ULFO' }),
    new MakerDeb({ options: { name: 'attribution-studio', productName: 'Attribution Studio', categories: ['Development', 'Science'] } }),
  ],
  plugins: [
    new AutoUnpackNativesPlugin({}),
    // Electron fuses are flipped in the packaged binary itself, so no environment variable or
    // command-line flag can turn the app back into a general-purpose Node or open a debugger
    // on it. Every fuse is named (strictlyRequireAllFuses) so a new Electron's fuse is a build
    // error until someone decides on it. Workers are worker_threads and Anvil is its own
    // binary: nothing here needs ELECTRON_RUN_AS_NODE.
    new FusesPlugin({
      version: FuseVersion.V1,
      strictlyRequireAllFuses: true,
      [FuseV1Options.RunAsNode]: false,
      [FuseV1Options.EnableCookieEncryption]: true,
      [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
      [FuseV1Options.EnableNodeCliInspectArguments]: false,
      // The app.asar's hash is embedded at package time and checked on load (macOS, Windows).
      [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
      [FuseV1Options.OnlyLoadAppFromAsar]: true,
      [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
      // The renderer is served from app://studio, never file://.
      [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
    }),
  ],
};

export default config;
