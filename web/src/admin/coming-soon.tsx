/** A section whose API is not built yet: said plainly, with no made-up data. */
export function ComingSoon({ what }: { what: string }) {
  return (
    <div class="card coming">
      <h2>Coming</h2>
      <p>{what} will appear here once the server offers them.</p>
    </div>
  );
}
