import { CustomFieldsSection } from './CustomFieldsSection';
import { TagsSection } from './TagsSection';

/** Membres › Configuration: the contact fields of the organization and its tags. */
export function ConfigurationTab() {
  return (
    <>
      <CustomFieldsSection />
      <TagsSection />
    </>
  );
}
