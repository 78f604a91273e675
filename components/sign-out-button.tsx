/** A plain form post: sign-out works before any script loads, and the server checks where it came from. */
export function SignOutButton() {
  return (
    <form action="/signout" method="post">
      <button
        type="submit"
        className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-50"
      >
        Sign out
      </button>
    </form>
  );
}
