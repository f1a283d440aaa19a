import type { INestApplication } from '@nestjs/common';
import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';

export interface DiscoveredRoute {
  /** "GET /api/v1/orgs/:orgId/contacts" */
  key: string;
  method: string;
  path: string;
  permission: string | null;
  isPublic: boolean;
  /** The controller class and the handler's name, to read more of its metadata (e.g. its arguments). */
  controller: new (...args: never[]) => object;
  handlerName: string;
}

const join = (...parts: string[]) =>
  `/${parts
    .map((p) => p.replace(/^\/+|\/+$/g, ''))
    .filter(Boolean)
    .join('/')}`;

/**
 * Every HTTP route of the API as Nest registered it, with the access metadata of its handler
 * (see auth/access.ts): the route table the access matrix is checked against.
 */
export function discoverRoutes(app: INestApplication): DiscoveredRoute[] {
  const routes: DiscoveredRoute[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => object) | null;
      if (!controller) continue;
      const bases = [Reflect.getMetadata(PATH_METADATA, controller) as string | string[]].flat();
      const proto = controller.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(proto)) {
        const handler = proto[name];
        if (typeof handler !== 'function' || name === 'constructor') continue;
        const paths = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
        if (paths === undefined) continue;
        const verb = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
        const permission =
          (Reflect.getMetadata('ruche:permission', handler) as string | undefined) ??
          (Reflect.getMetadata('ruche:permission', controller) as string | undefined) ??
          null;
        const isPublic =
          (Reflect.getMetadata('ruche:public', handler) as boolean | undefined) ??
          (Reflect.getMetadata('ruche:public', controller) as boolean | undefined) ??
          false;
        for (const base of bases)
          for (const path of [paths].flat()) {
            const full = join(base ?? '', path);
            routes.push({
              key: `${verb} ${full}`,
              method: verb,
              path: full,
              permission,
              isPublic,
              controller,
              handlerName: name,
            });
          }
      }
    }
  }
  return routes.sort((a, b) => a.key.localeCompare(b.key));
}
