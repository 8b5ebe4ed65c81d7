/** Light, dark or the system's theme: a button cycles them; the choice is remembered in this browser only. */

const THEMES = ['system', 'light', 'dark'] as const;
type Theme = (typeof THEMES)[number];
const STORAGE_KEY = 'sigmatch-theme';

function apply(theme: Theme, button: HTMLButtonElement): void {
  if (theme === 'system') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
  button.textContent = `Theme: ${theme}`;
  button.setAttribute('aria-label', `Theme: ${theme} (change)`);
}

export function setupTheme(button: HTMLButtonElement): void {
  let theme: Theme = 'system';
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if ((THEMES as readonly string[]).includes(saved ?? '')) theme = saved as Theme;
  } catch {
    // storage may be unavailable (private modes): the system theme then
  }
  apply(theme, button);
  button.addEventListener('click', () => {
    theme = THEMES[(THEMES.indexOf(theme) + 1) % THEMES.length];
    apply(theme, button);
    try {
      localStorage.setItem(STORAGE_KEY, theme);
    } catch {
      // not remembered
    }
  });
}
