import type { ContactTagView } from '@ruche/contracts';

/** A contact's tags as small coloured chips. */
export function TagChips({ tags }: { tags: readonly ContactTagView[] }) {
  if (tags.length === 0) return null;
  return (
    <ul className="chips">
      {tags.map((tag) => (
        <li key={tag.id} className="chip" data-testid="tag-chip">
          <span className="chip__dot" aria-hidden="true" style={{ backgroundColor: tag.color }} />
          {tag.name}
        </li>
      ))}
    </ul>
  );
}
