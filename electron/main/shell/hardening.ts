import { app, Menu, protocol, session } from 'electron';
import { isPermissionCheckAllowed, isPermissionRequestAllowed } from '../security/policy';
import { serveAppRequest } from '../security/renderer-files';
import { appMenu } from '../windows/app-menu';

export const appScheme = 'app';
/** The one host `app://` serves: Parley's own pages. */
export const appOrigin = `${appScheme}://parley`;

/** Must run before `app.ready`. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: appScheme, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

export function serveRenderer(root: string): void {
  protocol.handle(appScheme, async (request) => {
    const response = await serveAppRequest(root, request.url, appOrigin);
    return new Response(new Uint8Array(Buffer.from(response.body)), {
      status: response.status,
      headers: response.headers,
    });
  });
}

/** Navigation, new windows and permissions, for every web contents we ever create. */
export function hardenWebContents(rendererOrigin: string): void {
  session.defaultSession.setPermissionRequestHandler((_contents, permission, callback, details) =>
    callback(isPermissionRequestAllowed(permission, details, rendererOrigin)),
  );
  session.defaultSession.setPermissionCheckHandler((_contents, permission, _requestingOrigin, details) =>
    isPermissionCheckAllowed(permission, details, rendererOrigin),
  );
  // No page of Parley ever navigates: main loads each window's page (loadURL, which these events do not
  // see). A page that tries, even to another of our pages (the transcript window becoming the audio page,
  // with its microphone), is held where it is; a sub-frame or a redirect just as well.
  const stayOnOurPages = (event: { preventDefault(): void }) => event.preventDefault();
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', stayOnOurPages);
    contents.on('will-frame-navigate', stayOnOurPages);
    contents.on('will-redirect', stayOnOurPages);
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
}

/** The application menu: in an installed Parley, none with a debugging item (windows/app-menu.ts). */
export function setAppMenu(): void {
  const menu = appMenu(process.platform, app.isPackaged, app.getName());
  if (menu.kind !== 'items') return;
  Menu.setApplicationMenu(menu.items.length > 0 ? Menu.buildFromTemplate(menu.items) : null);
}
