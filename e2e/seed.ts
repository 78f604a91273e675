/** The emulator's seed tenant, as the specs refer to it (see emulator/seed.ts). */
export const SEED = {
  acme: { id: 'con_Q7tLk2vMx9RbW4sE', name: 'okta-acme' },
  globex: { id: 'con_h3NcY8pTfA1uZ6dK', name: 'oidc-globex' },
  initech: { id: 'con_Vb5wGm0JqX2nCe7R', name: 'okta-initech' },
  umbrella: { id: 'con_r8KdP4zS1yLh9TqU', name: 'oidc-umbrella' },
  hooli: { id: 'con_Zm2eT6xWc9FvN3jA', name: 'oidc-hooli' },
  stark: { id: 'con_g1YsB7kHq4MuD0pX', name: 'okta-stark' },
  wayne: { id: 'con_Lx6cR3nVw8ZjE5tG', name: 'okta-wayne' },
  soylent: { id: 'con_t9PfJ2qKy5WbH1mS', name: 'oidc-soylent' },
  tyrell: { id: 'con_Ww3kF9mYa6RtP2hJ', name: 'samlp-tyrell' },
} as const;
