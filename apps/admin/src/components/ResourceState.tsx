import { useTranslation } from 'react-i18next';
import type { Resource } from '../api/useResource';
import { errorMessage } from '../i18n/messages';
import { ErrorState } from './ErrorState';
import { Loading } from './Loading';

/** The loading spinner or the error of a resource that has no data yet; nothing once it has data. */
export function ResourceState({ resource }: { resource: Resource<unknown> }) {
  const { t } = useTranslation();
  if (resource.data !== undefined) return null;
  if (resource.loading) return <Loading />;
  return <ErrorState message={errorMessage(t, resource.error)} onRetry={resource.reload} />;
}
