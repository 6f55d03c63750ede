import type { PageConfig } from './page-config';

export type { PageConfig };

export function readConfig(): PageConfig {
  const element = document.getElementById('files-config');
  if (!element?.textContent) throw new Error('The page holds no #files-config.');
  return JSON.parse(element.textContent) as PageConfig;
}
