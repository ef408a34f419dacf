/**
 * The address as a browser should get it, or an error saying why it is not a web page: Parley
 * opens nothing but http and https (a file:, javascript: or custom-scheme URL could run something).
 */
export function webAddress(text: string): string {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new Error(`"${text}" is not a web address.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`Only http and https addresses can be opened, not ${url.protocol} ones.`);
  }
  return url.href;
}
