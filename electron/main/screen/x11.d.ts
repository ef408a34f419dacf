// The few parts of the `x11` package (no types of its own) that x11-active-window.ts uses.
declare module 'x11' {
  export interface X11Client {
    InternAtom(onlyIfExists: boolean, name: string, callback: (error: unknown, atom: number) => void): void;
    /** `type` 0 is AnyPropertyType; offset and length count 32-bit units. */
    GetProperty(
      remove: number,
      window: number,
      property: number,
      type: number,
      offset: number,
      length: number,
      callback: (error: unknown, value: { type: number; format: number; data: Buffer }) => void,
    ): void;
    terminate(): void;
    on(event: 'error', listener: (error: unknown) => void): void;
  }

  export interface X11Display {
    client: X11Client;
    screen: { root: number }[];
  }

  export function createClient(
    options: { display: string },
    callback: (error: unknown, display?: X11Display) => void,
  ): void;
}
