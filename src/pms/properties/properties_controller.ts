import type { RequestHandler } from 'express';
import type { Knex } from '../../db.ts';
import { NotFoundError } from '../../errors.ts';
import { parse } from '../../http/validate.ts';
import { IdParams } from '../common_schemas.ts';
import { CreatePropertyBody, ListPropertiesQuery } from './property_schemas.ts';
import { findProperty, insertProperty, listProperties } from './properties_repository.ts';

export interface PropertiesControllerDeps {
  db: Knex;
}

export function createPropertiesController({ db }: PropertiesControllerDeps) {
  const createPropertyHandler: RequestHandler = async (req, res) => {
    const input = parse(CreatePropertyBody, req.body);
    res.status(201).json(await insertProperty(db, input));
  };

  const listPropertiesHandler: RequestHandler = async (req, res) => {
    const { limit, cursor } = parse(ListPropertiesQuery, req.query, 'query');
    res.json(await listProperties(db, limit, cursor));
  };

  const getPropertyHandler: RequestHandler = async (req, res) => {
    const { id } = parse(IdParams, req.params, 'path');
    const property = await findProperty(db, id);
    if (!property) throw new NotFoundError('property', id);
    res.json(property);
  };

  return { createPropertyHandler, listPropertiesHandler, getPropertyHandler };
}
