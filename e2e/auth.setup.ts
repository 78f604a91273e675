import { expect, test as setup } from '@playwright/test';
import { DEMO_USERS, signIn, storageStatePath } from './fixtures';

// Signs each demo user in once through the emulator's login page; specs reuse the saved sessions.
for (const user of DEMO_USERS) {
  setup(`sign in as ${user.key}`, async ({ page }) => {
    await signIn(page, user.email);
    if (user.role) {
      await expect(page.getByRole('heading', { name: 'Connections' })).toBeVisible();
    } else {
      await expect(page.getByRole('heading', { name: 'No access' })).toBeVisible();
    }
    await page.context().storageState({ path: storageStatePath(user.key) });
  });
}
